package io.tokenledger.api.token;

import java.time.Instant;
import java.util.List;

/**
 * A token as the API shows it: never its secret, only the hint. {@code lastUsedClient} is the client id of the
 * resource server whose introspection was the last use, null when the token itself authenticated it.
 * {@code supersededBy} is the token a rotation replaced it by (as {@code replacedBy}); {@code graceEndsAt}, set
 * when it was rotated with a grace period, is when it stops working (status {@code ROTATING} until then).
 * {@code description} and {@code tags} are a permanent token's labels ({@link TokenLabels}).
 */
public record TokenView(String id, TokenKind kind, String name, String hint, String userId, String username,
                        Instant createdAt, String createdBy, Instant lastUsedAt, String lastUsedIp, Instant expiresAt,
                        TokenStatus status, Instant revokedAt, String revokedBy, String revokeReason,
                        String replacedBy, List<String> scopes, String lastUsedClient, String supersededBy,
                        Instant graceEndsAt, String description, List<String> tags) {

    public TokenView {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public TokenView(String id, TokenKind kind, String name, String hint, String userId, String username,
                     Instant createdAt, String createdBy, Instant lastUsedAt, String lastUsedIp, Instant expiresAt,
                     TokenStatus status, Instant revokedAt, String revokedBy, String revokeReason,
                     String replacedBy, List<String> scopes, String lastUsedClient) {
        this(id, kind, name, hint, userId, username, createdAt, createdBy, lastUsedAt, lastUsedIp, expiresAt, status,
                revokedAt, revokedBy, revokeReason, replacedBy, scopes, lastUsedClient, null, null, null, null);
    }
}
