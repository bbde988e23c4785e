package io.tokenledger.api.security;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.time.Instant;

/**
 * A known token presented from one client address and refused, within one interval, counted together. The token is
 * named by its id and hint ({@code tlp_…abcd}), never by its secret or hash.
 *
 * @param userId   the token's owner
 * @param reason   {@code revoked}, {@code expired} or {@code user_disabled}
 * @param attempts how many requests presented it in the interval
 */
public record TokenRefused(TokenId tokenId, UserId userId, String hint, String reason, int attempts,
                           Instant firstAt, Instant lastAt, String firstRequestId, String lastRequestId) {
}
