package io.tokenledger.app.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.notifier.mail.Outbox;
import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code outbox} health component and gauges: e-mails pending and failed, and how long the oldest pending
 * one was queued. DOWN when an e-mail has been due (not waiting for a retry) for longer than
 * {@code tokenledger.health.max-overdue}: then the sender is not sending. A server that refuses connections shows
 * in {@code smtp}; the outbox only fills with e-mails waiting for their retry.
 */
@Component("outboxHealthIndicator")
class OutboxHealth extends AbstractHealthIndicator implements MeterBinder {
    private final Reading<Outbox.Depth> depth;
    private final Duration maxOverdue;

    OutboxHealth(Outbox outbox, TokenLedgerProperties properties, DatabaseOutage outage) {
        super("the outbox could not be read");
        Duration grace = properties.health().overdueGrace();
        this.depth = new Reading<>(() -> outbox.depth(grace), properties.health().readingTtl(), outage);
        this.maxOverdue = properties.health().maxOverdue();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Outbox.Depth current = depth.get();
        (current.oldestOverdue().compareTo(maxOverdue) > 0 ? builder.down() : builder.up())
                .withDetail("pending", current.pending())
                .withDetail("failed", current.failed())
                .withDetail("overdue", current.overdue())
                .withDetail("oldestPendingSeconds", current.oldestPending().toSeconds())
                .withDetail("oldestOverdueSeconds", current.oldestOverdue().toSeconds());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tokenledger.outbox.depth", () -> depth.get().pending())
                .description("E-mails in the outbox by status").tag("status", "PENDING").register(registry);
        Gauge.builder("tokenledger.outbox.depth", () -> depth.get().failed())
                .description("E-mails in the outbox by status").tag("status", "FAILED").register(registry);
        Gauge.builder("tokenledger.outbox.overdue", () -> depth.get().overdue())
                .description("Pending e-mails due for longer than the grace").register(registry);
        Gauge.builder("tokenledger.outbox.oldest.pending", () -> depth.get().oldestPending().toMillis() / 1000.0)
                .description("How long the oldest pending e-mail has been queued").baseUnit("seconds")
                .register(registry);
    }
}
