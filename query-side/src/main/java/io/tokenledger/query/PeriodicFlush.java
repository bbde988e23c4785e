package io.tokenledger.query;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How what is noted in memory on the request path reaches the database off it (a token's last use, the security
 * events): a flush on a daemon thread of its own, every interval after the previous one ended, and once more when
 * stopped, so a graceful shutdown writes what is left. The flush handles its own failures.
 */
public final class PeriodicFlush {
    private final String threadName;
    private final Duration interval;
    private final Runnable flush;
    private volatile ScheduledExecutorService flusher;

    public PeriodicFlush(String threadName, Duration interval, Runnable flush) {
        this.threadName = threadName;
        this.interval = interval;
        this.flush = flush;
    }

    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        flusher = executor;
    }

    /** Stops the periodic flush, waiting up to 10 s for one under way, then flushes what is left. */
    public void stop() {
        ScheduledExecutorService executor = flusher;
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush.run();
    }

    public boolean isRunning() {
        ScheduledExecutorService executor = flusher;
        return executor != null && !executor.isShutdown();
    }
}
