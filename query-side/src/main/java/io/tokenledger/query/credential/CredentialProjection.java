package io.tokenledger.query.credential;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.api.user.UserRoleChanged;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.sql.Timestamp;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The authentication lookup: token hash to token, user, role, expiry and status. Every handler is an
 * idempotent upsert or update, so redelivered events change nothing.
 */
@Component
@ProcessingGroup(CredentialProjection.GROUP)
class CredentialProjection {
    static final String GROUP = CredentialLookup.PROJECTION;

    private final JdbcTemplate jdbc;
    private final CredentialLookup lookup;

    CredentialProjection(JdbcTemplate jdbc, CredentialLookup lookup) {
        this.jdbc = jdbc;
        this.lookup = lookup;
    }

    @EventHandler
    void on(UserRegistered event) {
        jdbc.update("""
                INSERT INTO credential_user (user_id, username, role, enabled) VALUES (?, ?, ?, true)
                ON CONFLICT (user_id) DO NOTHING""",
                event.userId().value(), event.username(), event.role().name());
    }

    @EventHandler
    void on(UserRoleChanged event) {
        jdbc.update("UPDATE credential_user SET role = ? WHERE user_id = ?", event.to().name(), event.userId().value());
        lookup.evictUser(event.userId());
    }

    @EventHandler
    void on(UserDisabled event) {
        jdbc.update("UPDATE credential_user SET enabled = false WHERE user_id = ?", event.userId().value());
        lookup.evictUser(event.userId());
    }

    @EventHandler
    void on(UserEnabled event) {
        jdbc.update("UPDATE credential_user SET enabled = true WHERE user_id = ?", event.userId().value());
        lookup.evictUser(event.userId());
    }

    @EventHandler
    void on(TemporaryTokenIssued event) {
        insert(event.tokenId(), event.hash(), TokenKind.TEMPORARY, event.userId(), event.expiresAt());
    }

    @EventHandler
    void on(PermanentTokenCreated event) {
        insert(event.tokenId(), event.hash(), TokenKind.PERMANENT, event.ownerId(), event.expiresAt());
    }

    @EventHandler
    void on(TokenExpired event) {
        jdbc.update("UPDATE credential SET status = 'EXPIRED' WHERE token_id = ? AND status = 'ACTIVE'",
                event.tokenId().value());
        lookup.evict(event.hash());
    }

    @EventHandler
    void on(TokenRevoked event) {
        jdbc.update("UPDATE credential SET status = 'REVOKED' WHERE token_id = ?", event.tokenId().value());
        lookup.evict(event.hash());
    }

    private void insert(TokenId tokenId, TokenHash hash, TokenKind kind, UserId userId, Instant expiresAt) {
        jdbc.update("""
                INSERT INTO credential (token_id, token_hash, kind, user_id, status, expires_at)
                VALUES (?, ?, ?, ?, 'ACTIVE', ?)
                ON CONFLICT (token_id) DO NOTHING""",
                tokenId.value(), hash.hex(), kind.name(), userId.value(), Timestamp.from(expiresAt));
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE credential, credential_user");
    }
}
