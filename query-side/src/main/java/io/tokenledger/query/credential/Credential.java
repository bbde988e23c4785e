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
 * scopes and when it was issued.
 */
public record Credential(TokenId tokenId, TokenKind kind, UserId userId, String username, Role role,
                         boolean userEnabled, TokenStatus status, Instant expiresAt, List<String> scopes,
                         Instant createdAt) {

    /** Whether the token may authenticate at the given instant. */
    public boolean isValidAt(Instant now) {
        return status == TokenStatus.ACTIVE && userEnabled && now.isBefore(expiresAt);
    }
}
