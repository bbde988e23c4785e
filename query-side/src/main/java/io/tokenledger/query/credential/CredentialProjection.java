package io.tokenledger.query.credential;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.token.RotatedTokenReused;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserPasswordChanged;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.api.user.UserRoleChanged;
import static io.tokenledger.query.replay.ProjectionWrites.key;

import io.tokenledger.query.replay.ProjectionWrites;
import io.tokenledger.query.replay.ReplayableProjection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * The authentication lookup: token hash to token, user, role, expiry, status, scopes and time of issue. Every rule is idempotent, also
 * when an event is applied again after later ones: a user row changes only for a newer event of that user (its
 * {@code version}), a token's status only moves away from {@code ACTIVE} (to {@code ROTATING}, then on to an end).
 * A rotating token's row names its successor and whether its reuse was reported, for the {@code TokenUsageRecorder}'s
 * check.
 */
@Component
@ProcessingGroup(CredentialProjection.GROUP)
class CredentialProjection implements ReplayableProjection {
    static final String GROUP = CredentialLookup.PROJECTION;

    private static final String USER = """
            INSERT INTO {credential_user} (user_id, username, role, enabled, password_version, version)
            VALUES (?, ?, ?, true, ?, ?)
            ON CONFLICT (user_id) DO NOTHING""";
    private static final String ROLE = "UPDATE {credential_user} SET role = ?, version = ? WHERE user_id = ? AND version < ?";
    private static final String ENABLED =
            "UPDATE {credential_user} SET enabled = ?, version = ? WHERE user_id = ? AND version < ?";
    private static final String PASSWORD =
            "UPDATE {credential_user} SET password_version = ?, version = ? WHERE user_id = ? AND version < ?";
    private static final String TOKEN = """
            INSERT INTO {credential} (token_id, token_hash, kind, user_id, status, expires_at, scopes, created_at)
            VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?, ?)
            ON CONFLICT (token_id) DO NOTHING""";
    private static final String EXPIRE =
            "UPDATE {credential} SET status = 'EXPIRED' WHERE token_id = ? AND status IN ('ACTIVE', 'ROTATING')";
    private static final String ROTATE = """
            UPDATE {credential} SET status = 'ROTATING', grace_ends_at = ?, superseded_by = ?
            WHERE token_id = ? AND status = 'ACTIVE'""";
    private static final String REUSED = "UPDATE {credential} SET reuse_reported = true WHERE token_id = ?";
    private static final String REVOKE = "UPDATE {credential} SET status = 'REVOKED' WHERE token_id = ?";

    private final CredentialLookup lookup;

    CredentialProjection(CredentialLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("credential", "credential_user");
    }

    /** The user's cached credentials came from the old tables: drop them all, the next lookups reload them. */
    @Override
    public void swapped() {
        lookup.evictAll();
    }

    @EventHandler
    void on(UserRegistered event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(USER, key(event.userId().value()), event.username(), event.role().name(), version, version);
    }

    /** The password's version: a login that checked an older one cannot open its session any more. */
    @EventHandler
    void on(UserPasswordChanged event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(PASSWORD, version, version, key(event.userId().value()), version);
    }

    @EventHandler
    void on(UserRoleChanged event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(ROLE, event.to().name(), version, key(event.userId().value()), version);
        writes.ifLive(() -> lookup.evictUser(event.userId()));
    }

    @EventHandler
    void on(UserDisabled event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(ENABLED, false, version, key(event.userId().value()), version);
        writes.ifLive(() -> lookup.evictUser(event.userId()));
    }

    @EventHandler
    void on(UserEnabled event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(ENABLED, true, version, key(event.userId().value()), version);
        writes.ifLive(() -> lookup.evictUser(event.userId()));
    }

    @EventHandler
    void on(TemporaryTokenIssued event, ProjectionWrites writes) {
        insert(writes, event.tokenId(), event.hash(), TokenKind.TEMPORARY, event.userId(), event.expiresAt(),
                Scopes.DEFAULT, event.issuedAt());
    }

    @EventHandler
    void on(PermanentTokenCreated event, ProjectionWrites writes) {
        insert(writes, event.tokenId(), event.hash(), TokenKind.PERMANENT, event.ownerId(), event.expiresAt(),
                event.scopes(), event.createdAt());
    }

    @EventHandler
    void on(TokenExpired event, ProjectionWrites writes) {
        writes.update(EXPIRE, key(event.tokenId().value()));
        writes.ifLive(() -> lookup.evict(event.hash()));
    }

    /** A rotation with a grace period: the token keeps working until then. One without is followed by a revocation. */
    @EventHandler
    void on(TokenRotated event, ProjectionWrites writes) {
        if (event.graceEndsAt() != null) {
            writes.update(ROTATE, Timestamp.from(event.graceEndsAt()), event.replacedBy().value(),
                    key(event.tokenId().value()));
            writes.ifLive(() -> lookup.evict(event.tokenId()));
        }
    }

    @EventHandler
    void on(RotatedTokenReused event, ProjectionWrites writes) {
        writes.update(REUSED, key(event.tokenId().value()));
    }

    @EventHandler
    void on(TokenRevoked event, ProjectionWrites writes) {
        writes.update(REVOKE, key(event.tokenId().value()));
        writes.ifLive(() -> lookup.evict(event.hash()));
    }

    private static void insert(ProjectionWrites writes, TokenId tokenId, TokenHash hash, TokenKind kind, UserId userId,
                               Instant expiresAt, List<String> scopes, Instant createdAt) {
        writes.update(TOKEN, key(tokenId.value()), key(hash.hex()), kind.name(), userId.value(), Timestamp.from(expiresAt),
                scopes.toArray(String[]::new), Timestamp.from(createdAt));
    }
}
