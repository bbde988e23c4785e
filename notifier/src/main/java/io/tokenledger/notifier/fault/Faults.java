package io.tokenledger.notifier.fault;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import io.tokenledger.api.fault.FaultAcknowledged;
import io.tokenledger.api.token.RotatedTokenReused;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenLeakReported;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenUsedFromNewAddress;
import io.tokenledger.api.user.UserId;
import io.tokenledger.notifier.TablePage;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fault table: raised by expiry warnings, leak reports and reuses of rotated tokens, acknowledged by admins; a
 * token's faults are cleared when it is revoked or expires (and its expiry warnings' when it is rotated), except a
 * reuse's, which is about what happened, not about the token's future.
 */
@Component
public class Faults {
    /** A token is close to its expiry. */
    public static final String TOKEN_EXPIRING = "TOKEN_EXPIRING";
    /** A webhook endpoint failed every delivery attempt for too long and was disabled. */
    public static final String WEBHOOK_DISABLED = "WEBHOOK_DISABLED";
    /** A permanent token was used from an address it had never been used from (when App Config asks for it). */
    public static final String TOKEN_USED_FROM_NEW_ADDRESS = "TOKEN_USED_FROM_NEW_ADDRESS";
    /** A token was reported leaked (and revoked for it). */
    public static final String TOKEN_LEAKED = "TOKEN_LEAKED";
    /** A token rotated with a grace period was used after its successor had been used. */
    public static final String ROTATED_TOKEN_REUSED = "ROTATED_TOKEN_REUSED";
    /** Public sort fields and the SQL each sorts on. */
    public static final Map<String, String> SORTABLE = Map.of(
            "raisedAt", "raised_at", "expiresAt", "expires_at", "daysBefore", "days_before", "status", "status",
            "tokenName", "lower(token_name)", "username", "username");
    private static final TablePage PAGE = new TablePage("fault", SORTABLE, "raised_at DESC, id");

    private final NamedParameterJdbcTemplate jdbc;
    private final EventGateway events;

    Faults(NamedParameterJdbcTemplate jdbc, EventGateway events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Filters of the Faults list; null means "any". */
    public record Filter(FaultStatus status, UUID tokenId) {
    }

    /** Raises the warning's fault, once per token and threshold: a redelivered warning changes nothing. */
    public void raise(TokenExpiryApproaching warning, String username) {
        jdbc.update("""
                INSERT INTO fault (id, type, token_id, token_name, token_hint, user_id, username, days_before,
                                   expires_at, raised_at, status)
                VALUES (:id, :type, :tokenId, :name, :hint, :userId, :username, :days, :expiresAt, :raisedAt, 'OPEN')
                ON CONFLICT DO NOTHING""",
                new MapSqlParameterSource("id", id(warning.tokenId(), warning.daysBefore()))
                        .addValue("type", TOKEN_EXPIRING)
                        .addValue("tokenId", warning.tokenId().value())
                        .addValue("name", warning.name())
                        .addValue("hint", warning.hint())
                        .addValue("userId", warning.ownerId().value())
                        .addValue("username", username)
                        .addValue("days", warning.daysBefore())
                        .addValue("expiresAt", Timestamp.from(warning.expiresAt()))
                        .addValue("raisedAt", Timestamp.from(warning.warnedAt())));
    }

    /**
     * Raises the fault of a webhook endpoint disabled after failing since {@code failingSince}; an endpoint
     * disabled again after being enabled gets a fault of its own.
     */
    public void raiseWebhookDisabled(UUID webhookId, String url, Instant failingSince, Instant disabledAt) {
        jdbc.update("""
                INSERT INTO fault (id, type, webhook_id, detail, raised_at, status)
                VALUES (:id, :type, :webhookId, :detail, :raisedAt, 'OPEN')
                ON CONFLICT DO NOTHING""",
                new MapSqlParameterSource("id", UUID.nameUUIDFromBytes(("fault/webhook/" + webhookId + "/"
                        + disabledAt.toEpochMilli()).getBytes(StandardCharsets.UTF_8)))
                        .addValue("type", WEBHOOK_DISABLED)
                        .addValue("webhookId", webhookId)
                        .addValue("detail", "Webhook endpoint " + url + " disabled: every delivery failed since "
                                + failingSince)
                        .addValue("raisedAt", Timestamp.from(disabledAt)));
    }

    /** Raises the fault of a token reported leaked, once per token: a redelivered report changes nothing. */
    public void raise(TokenLeakReported leak, String username) {
        raiseOnce("leaked", TOKEN_LEAKED, leak.tokenId(), leak.name() == null ? "Login session" : leak.name(),
                leak.hint(), leak.ownerId(), username, leak.expiresAt(), leak.reportedAt(), null);
    }

    /**
     * Raises the fault of a rotated token used after its successor, once per token: a redelivered report changes
     * nothing.
     */
    public void raise(RotatedTokenReused reuse, String username) {
        raiseOnce("reused", ROTATED_TOKEN_REUSED, reuse.tokenId(), reuse.name(), reuse.hint(), reuse.ownerId(),
                username, reuse.expiresAt(), reuse.detectedAt(), "Token used after its successor "
                        + reuse.supersededBy() + " had been used; it keeps working until " + reuse.graceEndsAt());
    }

    /** Raises the fault of a token's use from a new address, once per token and address. */
    public void raise(TokenUsedFromNewAddress use, String username) {
        String address = use.ip() + (use.userAgent().isEmpty() ? "" : " (" + use.userAgent() + ")")
                + (use.client().isEmpty() ? "" : " introspected by client " + use.client());
        raiseOnce("address/" + use.ip() + "\0" + use.userAgent() + "\0" + use.client(),
                TOKEN_USED_FROM_NEW_ADDRESS, use.tokenId(), use.name(), use.hint(), use.ownerId(), username,
                use.expiresAt(), use.firstSeenAt(), "Token first used from " + address);
    }

    /**
     * Raises an open fault about a token, once per token and {@code key}: its id is derived from both, so the same
     * fault raised again (a redelivered event) changes nothing.
     */
    private void raiseOnce(String key, String type, TokenId tokenId, String name, String hint, UserId ownerId,
                           String username, Instant expiresAt, Instant raisedAt, String detail) {
        jdbc.update("""
                INSERT INTO fault (id, type, token_id, token_name, token_hint, user_id, username, days_before,
                                   expires_at, raised_at, status, detail)
                VALUES (:id, :type, :tokenId, :name, :hint, :userId, :username, NULL, :expiresAt, :raisedAt, 'OPEN',
                        :detail)
                ON CONFLICT DO NOTHING""",
                new MapSqlParameterSource("id", UUID.nameUUIDFromBytes(("fault/" + tokenId + "/" + key)
                        .getBytes(StandardCharsets.UTF_8)))
                        .addValue("type", type)
                        .addValue("tokenId", tokenId.value())
                        .addValue("name", name)
                        .addValue("hint", hint)
                        .addValue("userId", ownerId.value())
                        .addValue("username", username)
                        .addValue("expiresAt", Timestamp.from(expiresAt))
                        .addValue("raisedAt", Timestamp.from(raisedAt))
                        .addValue("detail", detail));
    }

    /**
     * Clears the faults of a revoked or expired token; acknowledged ones too, keeping who acknowledged them. A reuse
     * after rotation stays: it is an alert about who holds the old secret, which the token's end does not answer.
     */
    public void clear(TokenId tokenId, Instant clearedAt) {
        jdbc.update("""
                UPDATE fault SET status = 'CLEARED', cleared_at = :at
                WHERE token_id = :tokenId AND status <> 'CLEARED' AND type <> :reused""",
                new MapSqlParameterSource("at", Timestamp.from(clearedAt)).addValue("tokenId", tokenId.value())
                        .addValue("reused", ROTATED_TOKEN_REUSED));
    }

    /** Clears the expiry warnings' faults of a token rotated with a grace period: its successor replaces it. */
    public void clearExpiring(TokenId tokenId, Instant clearedAt) {
        jdbc.update("""
                UPDATE fault SET status = 'CLEARED', cleared_at = :at
                WHERE token_id = :tokenId AND status <> 'CLEARED' AND type = :expiring""",
                new MapSqlParameterSource("at", Timestamp.from(clearedAt)).addValue("tokenId", tokenId.value())
                        .addValue("expiring", TOKEN_EXPIRING));
    }

    /**
     * Marks an open fault as seen by the user, and stores that as a {@link FaultAcknowledged} event in the same
     * transaction, so the audit log has who did it, from where and when; acknowledging it again changes nothing
     * and stores nothing. A cleared fault needs no acknowledgement, so that is a conflict.
     */
    @Transactional
    public FaultView acknowledge(UUID id, UserId by) {
        int acknowledged = jdbc.update("""
                UPDATE fault SET status = 'ACKNOWLEDGED', acknowledged_at = now(), acknowledged_by = :by
                WHERE id = :id AND status = 'OPEN'""",
                new MapSqlParameterSource("id", id).addValue("by", by.value()));
        FaultView fault = find(id).orElseThrow(() -> CommandRejected.notFound("no fault " + id));
        if (fault.status() == FaultStatus.CLEARED) {
            throw CommandRejected.conflict("fault " + id + " is already cleared: its token was revoked or has expired");
        }
        if (acknowledged == 1) {
            events.publish(new FaultAcknowledged(fault.id(), fault.type(),
                    fault.tokenId() == null ? null : new TokenId(fault.tokenId()),
                    fault.userId() == null ? null : new UserId(fault.userId()),
                    fault.daysBefore() == null ? 0 : fault.daysBefore()));
        }
        return fault;
    }

    Optional<FaultView> find(UUID id) {
        return jdbc.query("SELECT * FROM fault WHERE id = :id", new MapSqlParameterSource("id", id), Faults::map)
                .stream().findFirst();
    }

    /** A page of faults, newest first unless sorted by one of {@link #SORTABLE}. */
    public PageResult<FaultView> list(Filter filter, PageParams page) {
        TablePage.Where where = new TablePage.Where()
                .and("status = :status", "status", filter.status() == null ? null : filter.status().name())
                .and("token_id = :tokenId", "tokenId", filter.tokenId());
        return PAGE.read(jdbc, where, page, Faults::map);
    }

    /** Named after token and threshold, so the same warning always means the same fault. */
    private static UUID id(TokenId tokenId, int daysBefore) {
        return UUID.nameUUIDFromBytes(("fault/" + tokenId + "/" + daysBefore).getBytes(StandardCharsets.UTF_8));
    }

    private static FaultView map(ResultSet rs, int row) throws SQLException {
        return new FaultView(rs.getObject("id", UUID.class), rs.getString("type"), rs.getObject("token_id", UUID.class),
                rs.getString("token_name"), rs.getString("token_hint"), rs.getObject("user_id", UUID.class),
                rs.getString("username"), rs.getObject("days_before", Integer.class), instant(rs, "expires_at"),
                instant(rs, "raised_at"), FaultStatus.valueOf(rs.getString("status")),
                instant(rs, "acknowledged_at"), rs.getObject("acknowledged_by", UUID.class),
                instant(rs, "cleared_at"), rs.getObject("webhook_id", UUID.class), rs.getString("detail"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
