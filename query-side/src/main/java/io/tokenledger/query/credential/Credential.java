package io.tokenledger.query.credential;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/**
 * What authentication (and introspection) needs to know about a token, found by the hash of its secret: also its
 * scopes, when it was issued, and for a token rotated with a grace period when that grace ends.
 */
public record Credential(TokenId tokenId, TokenKind kind, UserId userId, String username, Role role,
                         boolean userEnabled, TokenStatus status, Instant expiresAt, List<String> scopes,
                         Instant createdAt, Instant graceEndsAt) {

    public Credential(TokenId tokenId, TokenKind kind, UserId userId, String username, Role role, boolean userEnabled,
                      TokenStatus status, Instant expiresAt, List<String> scopes, Instant createdAt) {
        this(tokenId, kind, userId, username, role, userEnabled, status, expiresAt, scopes, createdAt, null);
    }

    /**
     * Whether the token may authenticate at the given instant: active, or rotating within its grace period, and
     * before its expiry either way.
     */
    public boolean isValidAt(Instant now) {
        boolean working = status == TokenStatus.ACTIVE
                || status == TokenStatus.ROTATING && graceEndsAt != null && now.isBefore(graceEndsAt);
        return working && userEnabled && now.isBefore(expiresAt);
    }

    /** When it stops working unless revoked first: its expiry, or the end of its grace if that comes first. */
    public Instant endsAt() {
        return status == TokenStatus.ROTATING && graceEndsAt != null && graceEndsAt.isBefore(expiresAt)
                ? graceEndsAt : expiresAt;
    }

    /** Whether it is a token rotated with a grace period (working or not). */
    public boolean rotating() {
        return status == TokenStatus.ROTATING;
    }
}
