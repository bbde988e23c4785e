package io.tokenledger.query.replay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a projection's statements go: straight to its live tables, or batched into its replay tables. An event
 * handler of a projection takes it as a parameter ({@code void on(TokenRevoked event, ProjectionWrites writes)}),
 * resolved by {@link ProjectionWritesResolver}, and names its tables in braces ({@code UPDATE {token_view} SET …}),
 * so live processing and a rebuild run the very same handler and SQL.
 *
 * <p>Arguments that identify the rows a statement reads or writes are wrapped in {@link #key}: a rebuild
 * reorders statements that share no key into the same JDBC batch, so two statements touching one row must
 * share a key.
 */
public interface ProjectionWrites {
    /** Runs (or queues) one statement; table names in braces are resolved to the target's tables. */
    void update(String sql, Object... args);

    /**
     * Runs an effect that belongs to the live read model only, such as evicting a cache entry; a rebuild skips
     * it (its tables are not read until the swap, which runs {@link ReplayableProjection#swapped()}).
     */
    void ifLive(Runnable effect);

    /** Marks an argument as the identity of rows the statement reads or writes. */
    static Key key(Object value) {
        return new Key(value);
    }

    /** A row identity among a statement's arguments. */
    record Key(Object value) {
    }

    /** Writes to the live tables at once, in the caller's transaction. */
    static ProjectionWrites live(JdbcTemplate jdbc) {
        return new ProjectionWrites() {
            @Override
            public void update(String sql, Object... args) {
                jdbc.update(TableNames.LIVE.resolve(sql), bind(args));
            }

            @Override
            public void ifLive(Runnable effect) {
                effect.run();
            }
        };
    }

    /** The arguments as bound to the statement, keys unwrapped. */
    static Object[] bind(Object[] args) {
        Object[] bound = args.clone();
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] instanceof Key key) {
                bound[i] = key.value();
            }
        }
        return bound;
    }

    /** Resolves the braced table names of a statement, remembering each statement's resolved form. */
    enum TableNames {
        LIVE(""), REPLAY("_replay"),
        /** A check's temporary tables, rebuilt from the events to compare with the live ones. */
        CHECK("_check");

        private static final Pattern TABLE = Pattern.compile("\\{([a-z_]+)}");
        private final String suffix;
        private final Map<String, String> resolved = new ConcurrentHashMap<>();

        TableNames(String suffix) {
            this.suffix = suffix;
        }

        String resolve(String sql) {
            return resolved.computeIfAbsent(sql, s -> {
                Matcher table = TABLE.matcher(s);
                return table.replaceAll(m -> m.group(1) + suffix);
            });
        }

        /** The name of a live table in this set. */
        public String table(String live) {
            return live + suffix;
        }
    }
}
