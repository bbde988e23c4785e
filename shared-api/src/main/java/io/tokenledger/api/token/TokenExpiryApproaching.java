package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** An active permanent token is {@code daysBefore} days or fewer from expiry; at most once per token and threshold. */
public record TokenExpiryApproaching(TokenId tokenId, UserId ownerId, String name, String hint, Instant expiresAt,
                                     int daysBefore, Instant warnedAt) {
}
