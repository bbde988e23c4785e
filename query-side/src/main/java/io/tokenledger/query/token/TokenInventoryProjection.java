package io.tokenledger.query.token;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.token.TokenUsed;
import io.tokenledger.api.user.UserRegistered;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The token inventory behind the Tokens and User Tokens tabs. Handlers are idempotent upserts and
 * updates, so a redelivered event changes nothing; {@code token_owner} gives each row its username.
 */
@Component
@ProcessingGroup(TokenInventoryProjection.GROUP)
class TokenInventoryProjection {
    static final String GROUP = TokenQueries.PROJECTION;
    static final String TEMPORARY_NAME = "Login session";

    private final JdbcTemplate jdbc;

    TokenInventoryProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(UserRegistered event) {
        jdbc.update("INSERT INTO token_owner (user_id, username) VALUES (?, ?) ON CONFLICT DO NOTHING",
                event.userId().value(), event.username());
    }

    @EventHandler
    void on(PermanentTokenCreated event) {
        insert(event.tokenId().value(), TokenKind.PERMANENT, event.name(), event.hint(), event.ownerId().value(),
                event.createdAt(), event.createdBy() == null ? null : event.createdBy().value(), event.expiresAt());
    }

    @EventHandler
    void on(TemporaryTokenIssued event) {
        insert(event.tokenId().value(), TokenKind.TEMPORARY, TEMPORARY_NAME, event.hint(), event.userId().value(),
                event.issuedAt(), event.userId().value(), event.expiresAt());
    }

    @EventHandler
    void on(TokenRevoked event) {
        jdbc.update("""
                UPDATE token_view SET status = 'REVOKED', revoked_at = ?, revoked_by = ?, revoke_reason = ?
                WHERE id = ? AND status <> 'REVOKED'""",
                Timestamp.from(event.revokedAt()), event.revokedBy() == null ? null : event.revokedBy().value(),
                event.reason(), event.tokenId().value());
    }

    @EventHandler
    void on(TokenRotated event) {
        jdbc.update("UPDATE token_view SET replaced_by = ? WHERE id = ?", event.replacedBy().value(),
                event.tokenId().value());
    }

    @EventHandler
    void on(TokenExpired event) {
        jdbc.update("UPDATE token_view SET status = 'EXPIRED' WHERE id = ? AND status = 'ACTIVE'",
                event.tokenId().value());
    }

    @EventHandler
    void on(TokenUsed event) {
        jdbc.update("""
                UPDATE token_view SET last_used_at = ?, last_used_ip = ?
                WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)""",
                Timestamp.from(event.usedAt()), event.clientIp(), event.tokenId().value(),
                Timestamp.from(event.usedAt()));
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE token_view, token_owner");
    }

    private void insert(UUID id, TokenKind kind, String name, String hint, UUID userId, Instant createdAt,
                        UUID createdBy, Instant expiresAt) {
        jdbc.update("""
                INSERT INTO token_view (id, kind, name, hint, user_id, username, created_at, created_by, expires_at,
                                        status)
                SELECT ?, ?, ?, ?, ?, coalesce((SELECT username FROM token_owner WHERE user_id = ?), ?), ?, ?, ?,
                       'ACTIVE'
                ON CONFLICT (id) DO NOTHING""",
                id, kind.name(), name, hint, userId, userId, userId.toString(), Timestamp.from(createdAt), createdBy,
                Timestamp.from(expiresAt));
    }
}
