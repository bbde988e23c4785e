package io.tokenledger.query.audit;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Reads of the global audit log: a page of it, or all of it streamed row by row for an export. */
@Component
public class AuditLogQueries {
    /** Public sort fields and the column each sorts on. */
    static final Map<String, String> SORTABLE = Map.of(
            "globalIndex", "global_index", "timestamp", "occurred_at", "type", "type");
    /** Rows PostgreSQL sends per round trip of an export's cursor. */
    static final int EXPORT_FETCH_SIZE = 500;

    private final NamedParameterJdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate cursor;
    private final TransactionTemplate readOnly;
    private final ObjectMapper json;

    AuditLogQueries(NamedParameterJdbcTemplate jdbc, DataSource dataSource, PlatformTransactionManager transactions,
                    ObjectMapper json) {
        this.jdbc = jdbc;
        JdbcTemplate fetching = new JdbcTemplate(dataSource);
        fetching.setFetchSize(EXPORT_FETCH_SIZE);
        this.cursor = new NamedParameterJdbcTemplate(fetching);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.json = json;
    }

    /**
     * Filters of the audit log; null means "any".
     *
     * @param from   earliest event time, inclusive
     * @param to     latest event time, exclusive
     * @param type   the payload's simple class name, e.g. {@code TokenRevoked}
     * @param userId the user the event is about, directly or through one of their tokens
     */
    public record Filter(Instant from, Instant to, String type, String actorId, UUID userId, UUID tokenId) {
    }

    /** Receives the events of an export one at a time. */
    @FunctionalInterface
    public interface Sink {
        void accept(AuditEvent event) throws IOException;
    }

    /** A page of the log, in the order asked for and then by global index. */
    public PageResult<AuditEvent> page(Filter filter, PageParams page) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = where(filter, params);
        Long total = jdbc.queryForObject("SELECT count(*) FROM audit_event" + where, params, Long.class);
        String order = page.sortField() == null ? ""
                : SORTABLE.get(page.sortField()) + (page.ascending() ? " ASC, " : " DESC, ");
        params.addValue("limit", page.size()).addValue("offset", page.offset());
        List<AuditEvent> items = jdbc.query("SELECT * FROM audit_event" + where + " ORDER BY " + order
                + "global_index LIMIT :limit OFFSET :offset", params, (rs, row) -> map(rs));
        return new PageResult<>(items, page.page(), page.size(), total == null ? 0 : total);
    }

    /**
     * Every event the filter selects, in global order, handed to the sink as it is read. PostgreSQL streams a
     * result through a cursor only inside a transaction with a fetch size; otherwise the driver would read the
     * whole log into memory before the first row. Returns the number of events.
     */
    public long export(Filter filter, Sink sink) throws IOException {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String sql = "SELECT * FROM audit_event" + where(filter, params) + " ORDER BY global_index";
        long[] count = {0};
        try {
            readOnly.executeWithoutResult(status -> cursor.query(sql, params, (RowCallbackHandler) rs -> {
                try {
                    sink.accept(map(rs));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                count[0]++;
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count[0];
    }

    private static String where(Filter filter, MapSqlParameterSource params) {
        List<String> conditions = new ArrayList<>();
        if (filter.from() != null) {
            conditions.add("occurred_at >= :from");
            params.addValue("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            conditions.add("occurred_at < :to");
            params.addValue("to", Timestamp.from(filter.to()));
        }
        if (filter.type() != null) {
            conditions.add("type = :type");
            params.addValue("type", filter.type());
        }
        if (filter.actorId() != null) {
            conditions.add("actor_id = :actorId");
            params.addValue("actorId", filter.actorId());
        }
        if (filter.userId() != null) {
            conditions.add("user_id = :userId");
            params.addValue("userId", filter.userId());
        }
        if (filter.tokenId() != null) {
            conditions.add("token_id = :tokenId");
            params.addValue("tokenId", filter.tokenId());
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private AuditEvent map(ResultSet rs) throws SQLException {
        String actorId = rs.getString("actor_id");
        AuditEvent.Actor actor = actorId == null ? null
                : new AuditEvent.Actor(actorId, rs.getString("actor_username"), rs.getString("actor_role"));
        long sequence = rs.getLong("sequence_number");
        try {
            return new AuditEvent(rs.wasNull() ? null : sequence, rs.getLong("global_index"),
                    rs.getString("aggregate_id"), rs.getString("type"), rs.getTimestamp("occurred_at").toInstant(),
                    json.readTree(rs.getString("payload")), actor, rs.getString("client_ip"),
                    rs.getString("user_agent"), rs.getString("request_id"), rs.getString("correlation_id"),
                    rs.getString("trace_id"), rs.getString("deadline"));
        } catch (JacksonException e) {
            throw new IllegalStateException("audit_event " + rs.getLong("global_index") + " holds no JSON", e);
        }
    }
}
