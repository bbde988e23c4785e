package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A token was revoked and never authenticates again. */
public record TokenRevoked(TokenId tokenId, UserId ownerId, TokenHash hash, UserId revokedBy, String reason,
                           Instant revokedAt) {
}
