package io.tokenledger.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** How a rebuild's writes are grouped into JDBC batches, in the order the driver must run them. */
class ReplayBatchTest {
    private static final String UPSERT = "INSERT INTO app_config_view (setting_key, value) VALUES (?, ?) "
            + "ON CONFLICT (setting_key) DO UPDATE SET value = EXCLUDED.value";
    private static final String UPDATE = "UPDATE token_view SET status = ? WHERE id = ?";

    /** The batches sent, each as its statement and its number of rows. */
    private static List<String> sent(ReplayBatch batch) {
        List<String> sent = new ArrayList<>();
        batch.flush(new JdbcTemplate() {
            @Override
            public int[] batchUpdate(String sql, List<? extends Object[]> rows) {
                sent.add(sql.substring(0, 6) + " x" + rows.size());
                return new int[rows.size()];
            }
        });
        return sent;
    }

    @Test
    void anInsertOfAKeyAlreadyInsertedWaitsForTheNextBatchForTheDriverSendsABatchOfInsertsAsOneStatement() {
        ReplayBatch batch = new ReplayBatch();
        batch.update(UPSERT, ProjectionWrites.key("Max Token Lifetime"), "P30D");
        batch.update(UPSERT, ProjectionWrites.key("Warning Ladder"), "7");
        batch.update(UPSERT, ProjectionWrites.key("Max Token Lifetime"), "P90D");
        assertThat(sent(batch)).containsExactly("INSERT x2", "INSERT x1");
    }

    @Test
    void updatesOfOneKeyShareABatchWhichKeepsTheirOrder() {
        ReplayBatch batch = new ReplayBatch();
        batch.update(UPDATE, "EXPIRED", ProjectionWrites.key("t1"));
        batch.update(UPDATE, "REVOKED", ProjectionWrites.key("t1"));
        assertThat(sent(batch)).containsExactly("UPDATE x2");
    }
}
