package io.tokenledger.notifier.webhook;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import io.tokenledger.notifier.TablePage;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The webhook outbox and delivery log: a row per (endpoint, event), queued by {@link WebhookQueue} in the
 * transaction that stores its position, claimed and updated by {@link WebhookSender}.
 */
@Component
public class WebhookOutbox {
    /** Public sort fields and the SQL each sorts on. */
    static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "status", "status",
            "attempts", "attempts", "lastAttemptAt", "last_attempt_at", "nextAttemptAt", "next_attempt_at",
            "type", "type");
    private static final TablePage PAGE = new TablePage("webhook_delivery", SORTABLE, "created_at DESC, id");

    private final NamedParameterJdbcTemplate jdbc;

    WebhookOutbox(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A delivery claimed for one attempt.
     *
     * @param attempts attempts before this one: the attempt's outcome is recorded only while it is still so
     */
    record Claimed(UUID id, UUID endpointId, String eventId, String body, int attempts) {
    }

    /** Queues the event for the endpoint, due at once, unless it was queued for it already. */
    void queue(UUID endpointId, String eventId, String type, String body) {
        jdbc.update("""
                INSERT INTO webhook_delivery (id, endpoint_id, event_id, type, body, status, attempts, next_attempt_at,
                                              created_at)
                VALUES (:id, :endpointId, :eventId, :type, :body, 'PENDING', 0, now(), now())
                ON CONFLICT DO NOTHING""",
                new MapSqlParameterSource("id", id(endpointId, eventId)).addValue("endpointId", endpointId)
                        .addValue("eventId", eventId).addValue("type", type).addValue("body", body));
    }

    /**
     * Claims up to {@code limit} due deliveries of enabled endpoints, longest due first, for one attempt each: they
     * are not due again until {@code lease} has passed, so another sender (or this one after a crash) attempts
     * them again only if this attempt's outcome was never recorded. No transaction is held during the attempts.
     */
    List<Claimed> claim(int limit, Duration lease) {
        return jdbc.query("""
                UPDATE webhook_delivery d SET next_attempt_at = clock_timestamp() + make_interval(secs => :lease)
                FROM (SELECT d2.id FROM webhook_delivery d2 JOIN webhook_endpoint e ON e.id = d2.endpoint_id
                      WHERE d2.status = 'PENDING' AND d2.next_attempt_at <= now() AND e.status = 'ENABLED'
                      ORDER BY d2.next_attempt_at LIMIT :limit FOR UPDATE OF d2 SKIP LOCKED) due
                WHERE d.id = due.id
                RETURNING d.id, d.endpoint_id, d.event_id, d.body, d.attempts""",
                new MapSqlParameterSource("limit", limit).addValue("lease", lease.toMillis() / 1000.0),
                (rs, row) -> new Claimed(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                        rs.getString("event_id"), rs.getString("body"), rs.getInt("attempts")));
    }

    /** Records a delivered attempt. */
    void sent(Claimed delivery, int statusCode) {
        jdbc.update("""
                UPDATE webhook_delivery SET status = 'SENT', attempts = attempts + 1, last_status_code = :code,
                       last_error = NULL, last_attempt_at = clock_timestamp(), sent_at = clock_timestamp()
                WHERE id = :id AND attempts = :attempts AND status = 'PENDING'""",
                params(delivery).addValue("code", statusCode));
    }

    /** Records a failed attempt: retried after {@code retryIn}, or given up ({@code retryIn} null). */
    void failed(Claimed delivery, Integer statusCode, String error, Duration retryIn) {
        jdbc.update("""
                UPDATE webhook_delivery SET attempts = attempts + 1, last_status_code = :code, last_error = :error,
                       last_attempt_at = clock_timestamp(),
                       status = CASE WHEN :giveUp THEN 'FAILED' ELSE 'PENDING' END,
                       next_attempt_at = clock_timestamp() + make_interval(secs => :retrySeconds)
                WHERE id = :id AND attempts = :attempts AND status = 'PENDING'""",
                params(delivery).addValue("code", statusCode, java.sql.Types.INTEGER)
                        .addValue("error", error == null ? null : abbreviate(error))
                        .addValue("giveUp", retryIn == null)
                        .addValue("retrySeconds", retryIn == null ? 0.0 : retryIn.toMillis() / 1000.0));
    }

    /** Puts an attempt off without making it: its endpoint could not be reached in this round already. */
    void postpone(Claimed delivery, Duration retryIn) {
        jdbc.update("""
                UPDATE webhook_delivery SET next_attempt_at = clock_timestamp() + make_interval(secs => :retrySeconds)
                WHERE id = :id AND attempts = :attempts AND status = 'PENDING'""",
                params(delivery).addValue("retrySeconds", retryIn.toMillis() / 1000.0));
    }

    /** Queues a delivered or failed delivery again, due at once; a pending one is made due at once. */
    void redeliver(UUID endpointId, UUID deliveryId) {
        int updated = jdbc.update("""
                UPDATE webhook_delivery SET status = 'PENDING', next_attempt_at = now()
                WHERE id = :id AND endpoint_id = :endpointId""",
                new MapSqlParameterSource("id", deliveryId).addValue("endpointId", endpointId));
        if (updated == 0) {
            throw CommandRejected.notFound("no delivery " + deliveryId + " of webhook " + endpointId);
        }
    }

    Optional<DeliveryView> find(UUID endpointId, UUID deliveryId) {
        return jdbc.query("SELECT * FROM webhook_delivery WHERE id = :id AND endpoint_id = :endpointId",
                new MapSqlParameterSource("id", deliveryId).addValue("endpointId", endpointId),
                WebhookOutbox::view).stream().findFirst();
    }

    /** A page of the endpoint's deliveries, newest first unless sorted by one of {@link #SORTABLE}. */
    PageResult<DeliveryView> list(UUID endpointId, DeliveryStatus status, PageParams page) {
        TablePage.Where where = new TablePage.Where()
                .and("endpoint_id = :endpointId", "endpointId", endpointId)
                .and("status = :status", "status", status == null ? null : status.name());
        return PAGE.read(jdbc, where, page, WebhookOutbox::view);
    }

    /** The same endpoint and event always make the same delivery, so an event handled twice is queued once. */
    static UUID id(UUID endpointId, String eventId) {
        return UUID.nameUUIDFromBytes(("webhook-delivery/" + endpointId + "/" + eventId)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static MapSqlParameterSource params(Claimed delivery) {
        return new MapSqlParameterSource("id", delivery.id()).addValue("attempts", delivery.attempts());
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 500 ? line : line.substring(0, 499) + "…";
    }

    private static DeliveryView view(ResultSet rs, int row) throws SQLException {
        return new DeliveryView(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                rs.getString("event_id"), rs.getString("type"), DeliveryStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"), rs.getObject("last_status_code", Integer.class), rs.getString("last_error"),
                instant(rs, "last_attempt_at"),
                "PENDING".equals(rs.getString("status")) ? instant(rs, "next_attempt_at") : null,
                instant(rs, "created_at"), instant(rs, "sent_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
