package io.tokenledger.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Limits failed logins per username and per client address: after that many failures, each within the window of
 * the one before, further attempts are refused with 429 until the window has passed since the last failure. The
 * refusal says how long that still is, so a client waits no longer than it must.
 */
@Component
public class LoginThrottle {
    private final int maxPerUser;
    private final int maxPerClient;
    private final Duration window;
    private final Clock clock;
    /** Failures by key; an entry is dropped a window after its last failure, when it no longer counts. */
    private final Cache<String, Failures> failures;

    private record Failures(int count, Instant last) {
    }

    LoginThrottle(@Value("${tokenledger.login.max-failures-per-user:10}") int maxPerUser,
                  @Value("${tokenledger.login.max-failures-per-client:100}") int maxPerClient,
                  @Value("${tokenledger.login.failure-window:15m}") Duration window,
                  Clock clock) {
        this.maxPerUser = maxPerUser;
        this.maxPerClient = maxPerClient;
        this.window = window;
        this.clock = clock;
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    }

    void check(String username, String client) {
        Instant now = clock.instant();
        Duration user = lockedFor(userKey(username), maxPerUser, now);
        Duration byClient = lockedFor(clientKey(client), maxPerClient, now);
        Duration wait = user.compareTo(byClient) >= 0 ? user : byClient;
        if (!wait.isNegative() && !wait.isZero()) {
            throw new TooManyAttempts(wait);
        }
    }

    void failed(String username, String client) {
        Instant now = clock.instant();
        count(userKey(username), now);
        count(clientKey(client), now);
    }

    void succeeded(String username, String client) {
        failures.invalidate(userKey(username));
    }

    private Duration lockedFor(String key, int max, Instant now) {
        Failures f = failures.getIfPresent(key);
        if (f == null || f.count() < max) {
            return Duration.ZERO;
        }
        return Duration.between(now, f.last().plus(window));
    }

    private void count(String key, Instant now) {
        failures.asMap().compute(key, (k, f) -> f == null || !now.isBefore(f.last().plus(window))
                ? new Failures(1, now) : new Failures(f.count() + 1, now));
    }

    private static String userKey(String username) {
        return "u:" + username.toLowerCase(Locale.ROOT);
    }

    private static String clientKey(String client) {
        return "c:" + client;
    }

    /** Too many failed logins; carries how long to wait. */
    public static class TooManyAttempts extends RuntimeException {
        private final Duration retryAfter;

        TooManyAttempts(Duration retryAfter) {
            super("too many failed logins; try again later", null, false, false);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        /** The wait in whole seconds, rounded up (a {@code Retry-After} of 0 would invite a retry too soon). */
        public long retryAfterSeconds() {
            long seconds = retryAfter.toSeconds();
            return retryAfter.equals(Duration.ofSeconds(seconds)) ? Math.max(1, seconds) : seconds + 1;
        }
    }
}
