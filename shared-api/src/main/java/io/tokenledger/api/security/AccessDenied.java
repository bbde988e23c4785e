package io.tokenledger.api.security;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.time.Instant;

/**
 * An authenticated user's requests to one method and path refused with 403, from one client address within one
 * interval, counted together (the user is also the event's actor).
 *
 * @param tokenId  the token the requests were authenticated with
 * @param reason   {@code role}: the caller's role does not allow it
 * @param attempts how many were refused in the interval
 */
public record AccessDenied(UserId userId, TokenId tokenId, String method, String path, String reason, int attempts,
                           Instant firstAt, Instant lastAt, String firstRequestId, String lastRequestId) {
}
