package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A token reached its expiry and never authenticates again. */
public record TokenExpired(TokenId tokenId, UserId ownerId, TokenHash hash, Instant expiredAt) {
}
