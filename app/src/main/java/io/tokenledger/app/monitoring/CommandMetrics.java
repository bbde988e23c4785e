package io.tokenledger.app.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

/**
 * Times every command the command bus handles, from dispatch until its unit of work has committed or failed, as
 * {@code tokenledger.commands} tagged with the command's type and {@code outcome} success or failure. Each timer
 * keeps a count, a sum, a maximum and a fixed set of buckets, so memory does not grow with throughput, and
 * there is one timer per command type and outcome.
 */
final class CommandMetrics implements MessageMonitor<Message<?>> {
    /** Bucket bounds of the latency histogram (Prometheus {@code le}). */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(Class<?> command, boolean success) {
    }

    CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Class<?> command = message.getPayloadType();
        long start = System.nanoTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                record(new Key(command, true), start);
            }

            @Override
            public void reportFailure(Throwable cause) {
                record(new Key(command, false), start);
            }

            @Override
            public void reportIgnored() {
                // a command bus does not ignore commands
            }
        };
    }

    private void record(Key key, long start) {
        timers.computeIfAbsent(key, k -> Timer.builder("tokenledger.commands")
                        .description("Commands handled, by type and outcome")
                        .tag("command", k.command().getSimpleName())
                        .tag("outcome", k.success() ? "success" : "failure")
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(Duration.ofNanos(System.nanoTime() - start));
    }
}
