package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A permanent token was created; {@code rotatedFrom} names the token it replaces, if any. */
public record PermanentTokenCreated(TokenId tokenId, UserId ownerId, String name, TokenHash hash, String hint,
                                    Instant createdAt, UserId createdBy, Instant expiresAt, TokenId rotatedFrom) {
}
