package io.tokenledger.notifier.mail;

import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.notifier.TablePage;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The e-mail outbox: rows queued with the fault that caused them, claimed and updated by the sender. */
@Component
public class Outbox {
    /** Public sort fields and the SQL each sorts on. */
    static final Map<String, String> SORTABLE = Map.of(
            "createdAt", "created_at", "nextAttemptAt", "next_attempt_at", "sentAt", "sent_at", "status", "status",
            "recipient", "lower(recipient)", "attempts", "attempts");
    private static final TablePage PAGE = new TablePage("notification", SORTABLE, "created_at DESC, id");

    private final NamedParameterJdbcTemplate jdbc;

    Outbox(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Filters of the notifications list; null means "any". */
    record Filter(NotificationStatus status, UUID tokenId, String recipient) {
    }

    /**
     * An e-mail claimed for delivery.
     *
     * @param attempts   attempts so far, whatever their outcome
     * @param rejections those of them the server rejected (SMTP 5xx)
     */
    record Pending(UUID id, String recipient, String subject, String body, int attempts, int rejections) {
    }

    /** Queues an e-mail due at once, unless this token and threshold were already queued for the recipient. */
    public void queue(TokenId tokenId, int daysBefore, String recipient, ExpiryMail mail) {
        insert(id(tokenId, daysBefore, recipient), tokenId, daysBefore, recipient, mail.subject(), mail.body());
    }

    /** Queues the e-mail of a token reported leaked, due at once, unless already queued for the recipient. */
    public void queue(TokenId tokenId, String recipient, LeakMail mail) {
        UUID id = UUID.nameUUIDFromBytes(("notification/" + tokenId + "/leaked/" + recipient.toLowerCase(Locale.ROOT))
                .getBytes(StandardCharsets.UTF_8));
        insert(id, tokenId, null, recipient, mail.subject(), mail.body());
    }

    /**
     * Queues the inactivity warning of a token unused since {@code unusedSince}, due at once, unless already queued
     * for the recipient for that period of disuse.
     */
    public void queue(TokenId tokenId, java.time.Instant unusedSince, String recipient, InactivityMail mail) {
        UUID id = UUID.nameUUIDFromBytes(("notification/" + tokenId + "/inactive/" + unusedSince.toEpochMilli() + "/"
                + recipient.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
        insert(id, tokenId, null, recipient, mail.subject(), mail.body());
    }

    private void insert(UUID id, TokenId tokenId, Integer daysBefore, String recipient, String subject, String body) {
        jdbc.update("""
                INSERT INTO notification (id, token_id, days_before, recipient, subject, body, status, attempts,
                                          created_at, next_attempt_at)
                VALUES (:id, :tokenId, :days, :recipient, :subject, :body, 'PENDING', 0, now(), now())
                ON CONFLICT DO NOTHING""",
                new MapSqlParameterSource("id", id)
                        .addValue("tokenId", tokenId.value())
                        .addValue("days", daysBefore, java.sql.Types.INTEGER)
                        .addValue("recipient", recipient)
                        .addValue("subject", subject)
                        .addValue("body", body));
    }

    /** Up to {@code limit} due e-mails, longest due first, without locking them: each is then {@link #claim}ed. */
    List<UUID> due(int limit) {
        return jdbc.queryForList("""
                SELECT id FROM notification
                WHERE status = 'PENDING' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT :limit""",
                new MapSqlParameterSource("limit", limit), UUID.class);
    }

    /**
     * Locks the e-mail for the caller's transaction if it is still due. A row another instance holds is skipped,
     * and one it has sent meanwhile is no longer due, so several senders share the outbox without sending
     * anything twice.
     */
    Optional<Pending> claim(UUID id) {
        // Found by its key alone, whether due or not. With "still due" in the WHERE clause, the planner may read the
        // row through the partial index of due e-mails, walking every due one to reach it: 0.66 ms a claim with
        // 10 000 due at once (pg_stat_statements, bench/run --only=deadlines).
        return jdbc.query("""
                SELECT id, recipient, subject, body, attempts, rejections,
                       status = 'PENDING' AND next_attempt_at <= now() AS due
                FROM notification WHERE id = :id
                FOR UPDATE SKIP LOCKED""",
                new MapSqlParameterSource("id", id),
                (rs, row) -> rs.getBoolean("due") ? new Pending(rs.getObject("id", UUID.class),
                        rs.getString("recipient"), rs.getString("subject"), rs.getString("body"),
                        rs.getInt("attempts"), rs.getInt("rejections")) : null)
                .stream().filter(Objects::nonNull).findFirst();
    }

    void sent(UUID id) {
        jdbc.update("""
                UPDATE notification SET status = 'SENT', attempts = attempts + 1, sent_at = clock_timestamp()
                WHERE id = :id""", new MapSqlParameterSource("id", id));
    }

    /**
     * Records a failed attempt, one the server rejected when {@code rejected}: retried after {@code retryIn}, or
     * given up when {@code giveUp}.
     */
    void failed(UUID id, String error, boolean rejected, boolean giveUp, Duration retryIn) {
        jdbc.update("""
                UPDATE notification SET attempts = attempts + 1, last_error = :error,
                       rejections = rejections + CASE WHEN :rejected THEN 1 ELSE 0 END,
                       status = CASE WHEN :giveUp THEN 'FAILED' ELSE 'PENDING' END,
                       next_attempt_at = clock_timestamp() + make_interval(secs => :retrySeconds)
                WHERE id = :id""",
                new MapSqlParameterSource("id", id).addValue("error", error).addValue("rejected", rejected)
                        .addValue("giveUp", giveUp).addValue("retrySeconds", retryIn.toMillis() / 1000.0));
    }

    /**
     * How deep the outbox is: e-mails waiting to be sent, e-mails given up, and how long the oldest of those
     * still waiting was queued.
     *
     * @param pending       e-mails not yet sent, whether due or waiting for a retry
     * @param failed        e-mails the server rejected for good
     * @param overdue       pending e-mails due for longer than the grace without being sent
     * @param oldestPending age of the oldest pending e-mail; zero when none
     * @param oldestOverdue how long the oldest overdue e-mail has been due; zero when none
     */
    public record Depth(long pending, long failed, long overdue, Duration oldestPending, Duration oldestOverdue) {
    }

    /**
     * Reads the outbox's {@link Depth}. Pending rows are counted through the sender's partial index; counting
     * failed ones reads the table, so callers should not ask more often than every few seconds.
     */
    public Depth depth(Duration grace) {
        MapSqlParameterSource graceSeconds = new MapSqlParameterSource("grace", grace.toMillis() / 1000.0);
        Depth pending = jdbc.queryForObject("""
                SELECT count(*) AS pending,
                       count(*) FILTER (WHERE next_attempt_at < now() - make_interval(secs => :grace)) AS overdue,
                       coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest_pending,
                       coalesce(extract(epoch FROM now() - min(next_attempt_at)
                           FILTER (WHERE next_attempt_at < now() - make_interval(secs => :grace))), 0) AS oldest_overdue
                FROM notification WHERE status = 'PENDING'""", graceSeconds,
                (rs, row) -> new Depth(rs.getLong("pending"), 0, rs.getLong("overdue"),
                        seconds(rs.getDouble("oldest_pending")), seconds(rs.getDouble("oldest_overdue"))));
        Long failed = jdbc.queryForObject("SELECT count(*) FROM notification WHERE status = 'FAILED'",
                new MapSqlParameterSource(), Long.class);
        return new Depth(pending.pending(), failed == null ? 0 : failed, pending.overdue(), pending.oldestPending(),
                pending.oldestOverdue());
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.max(0, Math.round(seconds * 1000)));
    }

    Optional<NotificationView> find(UUID id) {
        return jdbc.query("SELECT * FROM notification WHERE id = :id", new MapSqlParameterSource("id", id),
                Outbox::map).stream().findFirst();
    }

    /** A page of e-mails, newest first unless sorted by one of {@link #SORTABLE}. */
    PageResult<NotificationView> list(Filter filter, PageParams page) {
        String recipient = filter.recipient() == null || filter.recipient().isBlank() ? null
                : filter.recipient().strip().toLowerCase(Locale.ROOT);
        TablePage.Where where = new TablePage.Where()
                .and("status = :status", "status", filter.status() == null ? null : filter.status().name())
                .and("token_id = :tokenId", "tokenId", filter.tokenId())
                .and("lower(recipient) = :recipient", "recipient", recipient);
        return PAGE.read(jdbc, where, page, Outbox::map);
    }

    /**
     * Named after token, threshold and address, so the same e-mail always has the same id, and with it the
     * same Message-ID should it ever be sent twice.
     */
    private static UUID id(TokenId tokenId, int daysBefore, String recipient) {
        return UUID.nameUUIDFromBytes(("notification/" + tokenId + "/" + daysBefore + "/"
                + recipient.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }

    private static NotificationView map(ResultSet rs, int row) throws SQLException {
        return new NotificationView(rs.getObject("id", UUID.class), rs.getObject("token_id", UUID.class),
                rs.getObject("days_before", Integer.class), rs.getString("recipient"), rs.getString("subject"),
                NotificationStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                instant(rs, "created_at"), instant(rs, "next_attempt_at"), instant(rs, "sent_at"),
                rs.getString("last_error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
