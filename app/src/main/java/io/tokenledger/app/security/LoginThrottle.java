package io.tokenledger.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Limits failed logins per username and per client address: after that many failures within the window,
 * further attempts are refused with 429 until the window has passed since the last failure.
 */
@Component
public class LoginThrottle {
    private final int maxPerUser;
    private final int maxPerClient;
    private final Duration window;
    private final Cache<String, AtomicInteger> failures;

    LoginThrottle(@Value("${tokenledger.login.max-failures-per-user:10}") int maxPerUser,
                  @Value("${tokenledger.login.max-failures-per-client:100}") int maxPerClient,
                  @Value("${tokenledger.login.failure-window:15m}") Duration window) {
        this.maxPerUser = maxPerUser;
        this.maxPerClient = maxPerClient;
        this.window = window;
        this.failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    }

    void check(String username, String client) {
        if (count("u:" + username.toLowerCase(Locale.ROOT)) >= maxPerUser || count("c:" + client) >= maxPerClient) {
            throw new TooManyAttempts(window);
        }
    }

    void failed(String username, String client) {
        failures.get("u:" + username.toLowerCase(Locale.ROOT), k -> new AtomicInteger()).incrementAndGet();
        failures.get("c:" + client, k -> new AtomicInteger()).incrementAndGet();
    }

    void succeeded(String username, String client) {
        failures.invalidate("u:" + username.toLowerCase(Locale.ROOT));
    }

    private int count(String key) {
        AtomicInteger n = failures.getIfPresent(key);
        return n == null ? 0 : n.get();
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
    }
}
