package io.tokenledger.command.bulk;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads of bulk revoke jobs. A read, so every instance serves it (reads go to query instances), whichever instance
 * runs the job: the job's row is in the one database.
 */
@Component
public class BulkRevokeJobs {
    /** The type of a bulk revoke job. */
    public static final String TYPE = "BULK_REVOKE";

    private final JdbcTemplate jdbc;

    BulkRevokeJobs(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A job as the API shows it; {@code requestedBy} is the id of the admin who started it. */
    public record JobView(UUID id, String type, String state, int total, int done, Instant startedAt,
                          Instant finishedAt, String requestedBy, String requestedByUsername, String reason,
                          String filter) {
    }

    public Optional<JobView> find(UUID id) {
        return jdbc.query("""
                SELECT id, state, total, done, started_at, finished_at, requested_by, requested_by_username, reason,
                       filter
                FROM bulk_revoke_job WHERE id = ?""", BulkRevokeJobs::map, id).stream().findFirst();
    }

    private static JobView map(ResultSet rs, int row) throws SQLException {
        return new JobView(rs.getObject("id", UUID.class), TYPE, rs.getString("state"), rs.getInt("total"),
                rs.getInt("done"), instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")),
                rs.getString("requested_by"), rs.getString("requested_by_username"), rs.getString("reason"),
                rs.getString("filter"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
