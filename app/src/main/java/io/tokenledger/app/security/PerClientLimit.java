package io.tokenledger.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most so many requests per client address in each window (a fixed window opened by the address's first request),
 * on this instance. For an endpoint open to anyone, where a client has no identity but its address.
 */
final class PerClientLimit {
    private final int max;
    private final Cache<String, AtomicInteger> counts;

    PerClientLimit(int max, Duration window, Ticker ticker) {
        this.max = max;
        this.counts = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).ticker(ticker).build();
    }

    /** Counts a request of this address; whether it is within the limit. */
    boolean allow(String address) {
        return counts.get(address, a -> new AtomicInteger()).incrementAndGet() <= max;
    }
}
