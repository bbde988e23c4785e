package io.tokenledger.api.security;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/**
 * Logins of a known user refused from one client address within one interval because of earlier failures (429),
 * before any password was checked; counted together like {@link LoginFailed}.
 *
 * @param reason   the count that refused them: {@code user_and_client}, {@code user} (the growing delay) or
 *                 {@code client}
 * @param attempts how many were refused in the interval
 */
public record LoginLockedOut(UserId userId, String username, String reason, int attempts, Instant firstAt,
                             Instant lastAt, String firstRequestId, String lastRequestId) {
}
