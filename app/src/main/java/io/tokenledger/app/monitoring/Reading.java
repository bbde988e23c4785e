package io.tokenledger.app.monitoring;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A database reading shared by health and gauges: read at most once per time to live, however many gauges,
 * scrapes and health calls ask, so monitoring never hammers the database. A failed read is not kept.
 */
final class Reading<T> implements Supplier<T> {
    private final Supplier<T> source;
    private final long ttlNanos;
    private T value;
    private long readAt;

    Reading(Supplier<T> source, Duration ttl) {
        this.source = source;
        this.ttlNanos = ttl.toNanos();
    }

    @Override
    public synchronized T get() {
        long now = System.nanoTime();
        if (value == null || now - readAt >= ttlNanos) {
            value = source.get();
            readAt = now;
        }
        return value;
    }
}
