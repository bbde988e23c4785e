package io.tokenledger.api.security;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/**
 * Logins of a known user that failed from one client address within one interval, counted together so that a flood
 * of guesses stores a handful of events (the client is in the event's audit metadata; never a password tried).
 *
 * @param reason         {@code wrong_password} or {@code disabled_user}
 * @param attempts       how many failed in the interval
 * @param firstRequestId the request id of the first of them, as in its log line
 * @param lastRequestId  the request id of the last of them
 */
public record LoginFailed(UserId userId, String username, String reason, int attempts, Instant firstAt,
                          Instant lastAt, String firstRequestId, String lastRequestId) {
}
