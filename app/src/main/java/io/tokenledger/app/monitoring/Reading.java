package io.tokenledger.app.monitoring;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A database reading shared by health and gauges: read at most once per time to live, however many gauges,
 * scrapes and health calls ask, so monitoring never hammers the database. A failed read is not kept; while the
 * database was just found out of reach, a read fails at once ({@link DatabaseOutage}).
 */
final class Reading<T> implements Supplier<T> {
    private final Supplier<T> source;
    private final long ttlNanos;
    private final DatabaseOutage outage;
    private T value;
    private long readAt;

    Reading(Supplier<T> source, Duration ttl, DatabaseOutage outage) {
        this.source = source;
        this.ttlNanos = ttl.toNanos();
        this.outage = outage;
    }

    @Override
    public synchronized T get() {
        long now = System.nanoTime();
        if (value == null || now - readAt >= ttlNanos) {
            value = outage.read(source);
            readAt = now;
        }
        return value;
    }
}
