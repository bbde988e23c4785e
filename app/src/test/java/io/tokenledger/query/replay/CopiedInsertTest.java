package io.tokenledger.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A rebuild's INSERTs copied into a temporary table and inserted from it store exactly what the same statement
 * stores row by row through the driver, for every type a projection binds, awkward values included; the
 * statement's own conflict clause decides as before.
 */
class CopiedInsertTest extends IntegrationTest {
    private static final String TABLE = """
            CREATE TEMPORARY TABLE %s (id UUID PRIMARY KEY, name VARCHAR(400) NOT NULL, note TEXT, at TIMESTAMPTZ,
                local_at TIMESTAMP, flag BOOLEAN, n INTEGER, big BIGINT, tags TEXT[] NOT NULL, bytes BYTEA,
                status VARCHAR(16) NOT NULL) ON COMMIT DROP""";
    private static final String INSERT = """
            INSERT INTO {copied} (id, name, note, at, local_at, flag, n, big, tags, bytes, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE')
            ON CONFLICT (id) DO UPDATE SET note = EXCLUDED.note, n = EXCLUDED.n WHERE ({copied}.n < EXCLUDED.n)""";
    private static final String REVOKE = "UPDATE {copied} SET status = 'REVOKED', at = ? WHERE id = ?";
    private static final String[] TEXTS = {"plain", "", "tab\there", "new\nline", "carriage\rreturn",
            "back\\slash", "\\N", "quote \" and ' apostrophe", "ü — 𝄞 unicode", "{brace}", "comma, separated"};
    private static final long[] NANOS = {0, 1, 499, 500, 501, 123_456_789, 999_999_499, 999_999_500, 999_999_999};

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private static List<Object[]> rows(int count, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Timestamp at = Timestamp.from(Instant.parse("2026-12-03T15:37:29Z").plusSeconds(i * 3_601L));
            at.setNanos((int) NANOS[i % NANOS.length]);
            String text = TEXTS[i % TEXTS.length];
            rows.add(new Object[] {ProjectionWrites.key(new UUID(7, i)), text + " " + i, i % 5 == 0 ? null : text, at,
                    i % 7 == 0 ? null : at, i % 3 == 0 ? null : i % 2 == 0, i * n, i % 4 == 0 ? null : (long) i << 40,
                    i % 6 == 0 ? new String[0] : new String[] {text, "NULL", "a,b", "{x}", "q\"t", "b\\s", ""},
                    i % 8 == 0 ? null : text.getBytes(StandardCharsets.UTF_8)});
        }
        return rows;
    }

    @Test
    void copiedRowsAreTheRowsTheDriverStores() {
        String copied = ProjectionWrites.TableNames.CHECK.resolve(INSERT);
        assertThat(CopiedInsert.of(copied)).isPresent();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            status.setRollbackOnly();
            jdbc.execute(TABLE.formatted("copied"));
            jdbc.execute(TABLE.formatted("copied_check"));
            ProjectionWrites live = ProjectionWrites.live(jdbc);
            List<Object[]> first = rows(300, 1);
            List<Object[]> second = rows(300, 2).subList(100, 300);
            first.forEach(row -> live.update(INSERT, row));
            second.forEach(row -> live.update(INSERT, row));
            for (List<Object[]> round : List.of(first, second)) {
                List<Object[]> bound = round.stream().map(ProjectionWrites::bind).toList();
                assertThat(jdbc.execute((ConnectionCallback<Boolean>) connection ->
                        CopiedInsert.of(copied).orElseThrow().insert(connection, bound))).isTrue();
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM copied_check", Long.class)).isEqualTo(300);
            // the second round's rows replaced the first's where their n was greater: all but the row of n = 0
            assertThat(jdbc.queryForObject("SELECT sum(n) FROM copied_check", Long.class))
                    .isEqualTo(4_950 + 2 * 39_900);
            assertThat(differences()).isEmpty();
        });
    }

    @Test
    void aRebuildBatchCopiesItsInsertsAndKeepsTheOrderOfItsStatements() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            status.setRollbackOnly();
            jdbc.execute(TABLE.formatted("copied"));
            jdbc.execute(TABLE.formatted("copied_check"));
            ProjectionWrites live = ProjectionWrites.live(jdbc);
            ReplayBatch batch = new ReplayBatch(ProjectionWrites.TableNames.CHECK);
            List<Object[]> rows = rows(ReplayBatch.COPIED_FROM * 3, 1);
            for (int i = 0; i < rows.size(); i++) {
                for (ProjectionWrites writes : List.of(live, batch)) {
                    writes.update(INSERT, rows.get(i));
                    if (i % 2 == 0) {
                        writes.update(REVOKE, Timestamp.from(Instant.parse("2026-12-04T00:00:00Z")), rows.get(i)[0]);
                    }
                }
            }
            for (Object[] row : rows(ReplayBatch.COPIED_FROM * 2, 3)) {
                for (ProjectionWrites writes : List.of(live, batch)) {
                    writes.update(INSERT, row); // a second INSERT of each key: the next round, and its upsert
                }
            }
            batch.flush(jdbc);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM copied_check WHERE status = 'REVOKED'", Long.class))
                    .isEqualTo(ReplayBatch.COPIED_FROM * 3 / 2);
            assertThat(differences()).isEmpty();
        });
    }

    @Test
    void onlyAnInsertOfParametersAndConstantsIsCopied() {
        assertThat(CopiedInsert.of("INSERT INTO t (a, b, c) VALUES (?, 'x, y', ?) ON CONFLICT DO NOTHING"))
                .isPresent();
        assertThat(CopiedInsert.of("INSERT INTO t (a, b) VALUES (?, lower(?))")).isEmpty();
        assertThat(CopiedInsert.of("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b"
                + " WHERE (t.b < EXCLUDED.b)")).isPresent();
        assertThat(CopiedInsert.of("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = ?"))
                .isEmpty();
        assertThat(CopiedInsert.of("INSERT INTO t (a, b) VALUES (?, ?), (?, ?)")).isEmpty();
        assertThat(CopiedInsert.of("UPDATE t SET a = ? WHERE b = ?")).isEmpty();
        assertThat(CopiedInsert.of("INSERT INTO t (a) SELECT ? FROM u")).isEmpty();
    }

    /** Rows of the live table and the copied one that differ, by id. */
    private List<String> differences() {
        return jdbc.queryForList("""
                SELECT coalesce(l.id, c.id)::text FROM copied l FULL JOIN copied_check c ON c.id = l.id
                WHERE ROW(l.*) IS DISTINCT FROM ROW(c.*) ORDER BY 1 LIMIT 10""", String.class);
    }
}
