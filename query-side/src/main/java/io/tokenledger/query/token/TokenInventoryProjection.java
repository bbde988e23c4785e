package io.tokenledger.query.token;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenDescribed;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.user.UserRegistered;
import static io.tokenledger.query.replay.ProjectionWrites.key;

import io.tokenledger.query.replay.ProjectionWrites;
import io.tokenledger.query.replay.ReplayableProjection;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * The token inventory behind the Tokens and User Tokens tabs. Every rule is idempotent, also when an event is
 * applied again after later ones (inserts do nothing on conflict, status changes are guarded), so a replay swap or
 * a catch-up from an earlier release's position changes nothing. A token's last use is not here: see
 * {@link TokenUsageRecorder}.
 *
 * <p>{@code token_owner} holds each user's username, and reads join it to name a token's owner: a token's row
 * never holds a copy. A user's registration and the creation of the user's tokens are handled by different
 * segments, and two of their transactions that overlap see nothing of each other; a copy made by either one
 * kept the owner's id for a name.
 */
@Component
@ProcessingGroup(TokenInventoryProjection.GROUP)
class TokenInventoryProjection implements ReplayableProjection {
    static final String GROUP = TokenQueries.PROJECTION;
    static final String TEMPORARY_NAME = "Login session";

    private static final String OWNER = "INSERT INTO {token_owner} (user_id, username) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT = """
            INSERT INTO {token_view} (id, kind, name, hint, user_id, created_at, created_by, expires_at, status, scopes,
                                      description, tags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)
            ON CONFLICT (id) DO NOTHING""";
    private static final String REVOKE = """
            UPDATE {token_view} SET status = 'REVOKED', revoked_at = ?, revoked_by = ?, revoke_reason = ?
            WHERE id = ? AND status <> 'REVOKED'""";
    private static final String DESCRIBE = """
            UPDATE {token_view} SET description = ?, tags = ?, described_at = ?
            WHERE id = ? AND (described_at IS NULL OR described_at <= ?)""";
    private static final String ROTATE = "UPDATE {token_view} SET replaced_by = ? WHERE id = ?";
    private static final String ROTATE_WITH_GRACE = """
            UPDATE {token_view} SET replaced_by = ?, status = 'ROTATING', grace_ends_at = ?
            WHERE id = ? AND status = 'ACTIVE'""";
    private static final String EXPIRE =
            "UPDATE {token_view} SET status = 'EXPIRED' WHERE id = ? AND status IN ('ACTIVE', 'ROTATING')";

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("token_view", "token_owner");
    }

    @EventHandler
    void on(UserRegistered event, ProjectionWrites writes) {
        writes.update(OWNER, key(event.userId().value()), event.username());
    }

    @EventHandler
    void on(PermanentTokenCreated event, ProjectionWrites writes) {
        insert(writes, event.tokenId().value(), TokenKind.PERMANENT, event.name(), event.hint(),
                event.ownerId().value(), event.createdAt(), event.createdBy() == null ? null : event.createdBy().value(),
                event.expiresAt(), event.scopes(), event.description(), event.tags());
    }

    @EventHandler
    void on(TemporaryTokenIssued event, ProjectionWrites writes) {
        insert(writes, event.tokenId().value(), TokenKind.TEMPORARY, TEMPORARY_NAME, event.hint(),
                event.userId().value(), event.issuedAt(), event.userId().value(), event.expiresAt(), Scopes.DEFAULT, null,
                List.of());
    }

    @EventHandler
    void on(TokenRevoked event, ProjectionWrites writes) {
        writes.update(REVOKE, Timestamp.from(event.revokedAt()),
                event.revokedBy() == null ? null : event.revokedBy().value(), event.reason(),
                key(event.tokenId().value()));
    }

    /** The latest change of a token's labels is the one in force, whatever order the changes are applied in. */
    @EventHandler
    void on(TokenDescribed event, ProjectionWrites writes) {
        Timestamp at = Timestamp.from(event.describedAt());
        writes.update(DESCRIBE, event.description(), event.tags().toArray(String[]::new), at,
                key(event.tokenId().value()), at);
    }

    @EventHandler
    void on(TokenRotated event, ProjectionWrites writes) {
        if (event.graceEndsAt() == null) {
            writes.update(ROTATE, event.replacedBy().value(), key(event.tokenId().value()));
        } else {
            writes.update(ROTATE_WITH_GRACE, event.replacedBy().value(), Timestamp.from(event.graceEndsAt()),
                    key(event.tokenId().value()));
        }
    }

    @EventHandler
    void on(TokenExpired event, ProjectionWrites writes) {
        writes.update(EXPIRE, key(event.tokenId().value()));
    }


    private static void insert(ProjectionWrites writes, UUID id, TokenKind kind, String name, String hint, UUID userId,
                               Instant createdAt, UUID createdBy, Instant expiresAt, List<String> scopes,
                               String description, List<String> tags) {
        writes.update(INSERT, key(id), kind.name(), name, hint, userId, Timestamp.from(createdAt), createdBy,
                Timestamp.from(expiresAt), scopes.toArray(String[]::new), description, tags.toArray(String[]::new));
    }
}
