package io.tokenledger.app.monitoring;

import io.tokenledger.app.web.Problems;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * That the database was just found out of reach, shared by the health components and gauges that read it. Each of
 * them would otherwise wait for a connection until the pool's connection-timeout, one after the other, so a health
 * check during an outage would take that wait once per component; instead, once one of them has found the database
 * out of reach, the others say so at once for a second.
 */
@Component
class DatabaseOutage {
    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

    private volatile Long noticedAt;

    /** A check that may fail. */
    interface Check {
        void run() throws Exception;
    }

    /** Reads the database, or fails at once while it was just found out of reach. */
    <T> T read(Supplier<T> read) {
        failIfJustFound();
        try {
            return read.get();
        } catch (RuntimeException e) {
            notice(e);
            throw e;
        }
    }

    /** Runs a check against the database, or fails at once while it was just found out of reach. */
    void check(Check check) throws Exception {
        failIfJustFound();
        try {
            check.run();
        } catch (Exception e) {
            notice(e);
            throw e;
        }
    }

    private void failIfJustFound() {
        Long at = noticedAt;
        if (at != null && System.nanoTime() - at < WINDOW_NANOS) {
            throw new DataAccessResourceFailureException("the database was found out of reach just now");
        }
    }

    private void notice(Exception e) {
        if (Problems.isDatabaseUnavailable(e)) {
            noticedAt = System.nanoTime();
        }
    }
}
