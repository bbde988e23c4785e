package io.tokenledger.query;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * What notes in memory on the request path and writes to the database off it (a token's last use, the security
 * events): its {@link #flushAndLog()} runs on a daemon thread of its own, every interval after the previous one ended, and
 * once more when stopped, so a graceful shutdown writes what is left. It stops after the web server (which stops at
 * {@code DEFAULT_PHASE - 2048}), so the last requests' notes count. A flush handles its own failures.
 */
public abstract class PeriodicFlush implements SmartLifecycle {
    private final String threadName;
    private final Duration interval;
    private volatile ScheduledExecutorService flusher;

    protected PeriodicFlush(String threadName, Duration interval) {
        this.threadName = threadName;
        this.interval = interval;
    }

    /** Writes what was noted since the last flush, and logs how that went; never throws. */
    protected abstract void flushAndLog();

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::flushAndLog, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        flusher = executor;
    }

    /** Stops the periodic flush, waiting up to 10 s for one under way, then flushes what is left. */
    @Override
    public void stop() {
        ScheduledExecutorService executor = flusher;
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushAndLog();
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService executor = flusher;
        return executor != null && !executor.isShutdown();
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }
}
