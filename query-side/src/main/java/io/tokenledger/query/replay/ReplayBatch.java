package io.tokenledger.query.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A rebuild's writes, queued and sent as few JDBC batches as the event order allows. Statements that share no
 * {@link ProjectionWrites#key key} touch different rows, so they commute;
 * a statement therefore joins the earliest round after every earlier statement it shares an argument with (the
 * same round when that one runs the same SQL, as a batch keeps its order), and each round sends one batch per
 * statement. Not for an INSERT: the driver sends a batch of one INSERT as a single multi-row statement
 * ({@code reWriteBatchedInserts}), in which an upsert may not touch one row twice, so a repeated key's INSERT waits
 * for the next round. A token created, used and revoked costs three rounds, however many tokens a batch holds.
 */
final class ReplayBatch implements ProjectionWrites {
    private record Last(int round, String sql) {
    }

    /** Fewer rows of one INSERT than this cost less as a JDBC batch than creating a table to copy them into. */
    static final int COPIED_FROM = 100;

    private final ProjectionWrites.TableNames tables;
    private final List<Map<String, List<Object[]>>> rounds = new ArrayList<>();
    /** By the value of each key (the records' own equality costs more per look-up than the value's). */
    private final Map<Object, Last> lastByKey = new HashMap<>();
    private int statements;

    /** Writes into the twin tables of a rebuild. */
    ReplayBatch() {
        this(TableNames.REPLAY);
    }

    /** Writes into the given set of tables: a rebuild's twins, or a check's scratch tables. */
    ReplayBatch(ProjectionWrites.TableNames tables) {
        this.tables = tables;
    }

    @Override
    public void update(String sql, Object... args) {
        String resolved = tables.resolve(sql);
        boolean insert = resolved.stripLeading().regionMatches(true, 0, "INSERT", 0, 6);
        int round = 0;
        for (Object arg : args) {
            if (arg instanceof Key key) {
                Last last = lastByKey.get(key.value());
                if (last != null) {
                    round = Math.max(round, last.round() + (last.sql().equals(resolved) && !insert ? 0 : 1));
                }
            }
        }
        while (rounds.size() <= round) {
            rounds.add(new LinkedHashMap<>());
        }
        rounds.get(round).computeIfAbsent(resolved, s -> new ArrayList<>()).add(ProjectionWrites.bind(args));
        Last placed = new Last(round, resolved);
        for (Object arg : args) {
            if (arg instanceof Key key) {
                lastByKey.put(key.value(), placed);
            }
        }
        statements++;
    }

    /** The twins are not read before the swap, and the swap runs the projection's own hook; a check's never are. */
    @Override
    public void ifLive(Runnable effect) {
    }

    int size() {
        return statements;
    }

    /**
     * Sends every queued statement, in the caller's transaction, and starts empty again: a round's rows of one
     * INSERT, from {@value #COPIED_FROM} on, as one {@link CopiedInsert}.
     */
    void flush(JdbcTemplate jdbc) {
        for (Map<String, List<Object[]>> round : rounds) {
            for (Map.Entry<String, List<Object[]>> statement : round.entrySet()) {
                List<Object[]> rows = statement.getValue();
                Optional<CopiedInsert> copied = rows.size() < COPIED_FROM ? Optional.empty()
                        : CopiedInsert.of(statement.getKey());
                if (copied.isEmpty() || !Boolean.TRUE.equals(jdbc.execute(
                        (ConnectionCallback<Boolean>) connection -> copied.get().insert(connection, rows)))) {
                    jdbc.batchUpdate(statement.getKey(), rows);
                }
            }
        }
        rounds.clear();
        lastByKey.clear();
        statements = 0;
    }
}
