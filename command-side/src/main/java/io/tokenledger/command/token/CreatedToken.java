package io.tokenledger.command.token;

import io.tokenledger.api.token.TokenStatus;
import java.time.Instant;
import java.util.List;

/** A newly created or rotated token: the only time its plaintext is shown. */
public record CreatedToken(String id, String name, String token, String hint, String userId, Instant createdAt,
                           Instant expiresAt, TokenStatus status, List<String> scopes, String description,
                           List<String> tags) {
    @Override
    public String toString() {
        return "CreatedToken[id=" + id + ", hint=" + hint + "]";
    }
}
