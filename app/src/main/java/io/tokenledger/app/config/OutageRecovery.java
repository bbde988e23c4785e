package io.tokenledger.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Lets the event processors take their segments back as soon as the database returns from an outage. While it is
 * out of reach every batch fails, and Axon keeps a segment whose work failed from being claimed again for a
 * back-off that doubles with each failure, up to a minute: meant for an event that keeps failing, it left the
 * read models (and with them new tokens, which authenticate through one) up to a minute behind after a ten-second
 * outage. A look at the token store every second notices the outage; for a few seconds after it ends, the
 * back-off of every segment not held here is cleared. At any other time a failing event backs off as before.
 */
@Component
class OutageRecovery implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutageRecovery.class);
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** How long after the database is back segments are let back at once: until every processor has claimed. */
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final JdbcTemplate jdbc;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private ScheduledExecutorService looker;
    // Only the looker's thread reads and writes these.
    private boolean down;
    private long backAt;

    OutageRecovery(JdbcTemplate jdbc, ObjectProvider<EventProcessingConfiguration> processing) {
        this.jdbc = jdbc;
        this.processing = processing;
    }

    /** One look: notes an outage, or its end; shortly after its end, clears the back-off of unheld segments. */
    void look() {
        List<Map.Entry<String, Integer>> segments;
        try {
            segments = jdbc.query("SELECT processor_name, segment FROM token_entry",
                    (rs, row) -> Map.entry(rs.getString(1), rs.getInt(2)));
        } catch (DataAccessException e) {
            if (!down) {
                log.warn("The database is out of reach; processors will take their segments back once it returns");
            }
            down = true;
            return;
        }
        if (down) {
            down = false;
            backAt = System.nanoTime();
            log.info("The database is back; processors take their segments back");
        }
        EventProcessingConfiguration processors = processing.getIfAvailable();
        if (backAt == 0 || System.nanoTime() - backAt > WINDOW.toNanos() || processors == null) {
            return;
        }
        for (Map.Entry<String, Integer> segment : segments) {
            processors.eventProcessor(segment.getKey(), StreamingEventProcessor.class)
                    .filter(p -> p.isRunning() && !p.processingStatus().containsKey(segment.getValue()))
                    .ifPresent(p -> p.releaseSegment(segment.getValue(), 0, TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public void start() {
        looker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "outage-recovery");
            thread.setDaemon(true);
            return thread;
        });
        looker.scheduleWithFixedDelay(() -> {
            try {
                look();
            } catch (RuntimeException e) {
                log.warn("Looking for the end of a database outage failed: {}", e.toString());
            }
        }, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        looker.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return looker != null && !looker.isShutdown();
    }
}
