package io.tokenledger.app.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tokenledger.app.config.TokenLedgerProperties;
import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code deadlines} health component and gauges: db-scheduler's backlog in {@code scheduled_tasks}. A
 * deadline is overdue when it has been due for longer than {@code tokenledger.health.overdue-grace} and no
 * instance has picked it; the component is DOWN when the oldest overdue one has waited longer than
 * {@code tokenledger.health.max-overdue}: then no scheduler is firing deadlines, and expiries and warnings are
 * late. The backlog is the whole cluster's, so the component is not part of any instance's readiness.
 */
@Component("deadlinesHealthIndicator")
class DeadlineHealth extends AbstractHealthIndicator implements MeterBinder {
    private final Reading<Backlog> backlog;
    private final Duration maxOverdue;

    /**
     * @param scheduled     deadlines waiting in the table, due or not
     * @param overdue       deadlines due for longer than the grace and not picked
     * @param oldestOverdue how long the oldest of those has been due; zero when none
     */
    record Backlog(long scheduled, long overdue, Duration oldestOverdue) {
    }

    DeadlineHealth(JdbcTemplate jdbc, TokenLedgerProperties properties, DatabaseOutage outage) {
        super("deadlines could not be read");
        Duration grace = properties.health().overdueGrace();
        this.maxOverdue = properties.health().maxOverdue();
        this.backlog = new Reading<>(() -> jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM scheduled_tasks) AS scheduled, count(*) AS overdue,
                       coalesce(extract(epoch FROM now() - min(execution_time)), 0) AS oldest
                FROM scheduled_tasks
                WHERE NOT picked AND execution_time < now() - make_interval(secs => ?)""",
                (rs, row) -> new Backlog(rs.getLong("scheduled"), rs.getLong("overdue"),
                        Duration.ofMillis(Math.round(rs.getDouble("oldest") * 1000))),
                grace.toMillis() / 1000.0), properties.health().readingTtl(), outage);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Backlog current = backlog.get();
        (current.oldestOverdue().compareTo(maxOverdue) > 0 ? builder.down() : builder.up())
                .withDetail("scheduled", current.scheduled())
                .withDetail("overdue", current.overdue())
                .withDetail("oldestOverdueSeconds", current.oldestOverdue().toSeconds());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tokenledger.deadlines.scheduled", () -> backlog.get().scheduled())
                .description("Deadlines (token expiries, expiry warnings) waiting in the scheduler").register(registry);
        Gauge.builder("tokenledger.deadlines.overdue", () -> backlog.get().overdue())
                .description("Deadlines due for longer than the grace that no instance has picked")
                .register(registry);
        Gauge.builder("tokenledger.deadlines.overdue.oldest", () -> backlog.get().oldestOverdue().toMillis() / 1000.0)
                .description("How long the oldest overdue deadline has been due").baseUnit("seconds")
                .register(registry);
    }
}
