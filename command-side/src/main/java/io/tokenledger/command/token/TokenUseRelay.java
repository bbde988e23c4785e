package io.tokenledger.command.token;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.command.CommandRole;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * On instances with the command role: sends the token uses that instances without it left in
 * {@code token_use_relay}, a batch at a time; {@code SKIP LOCKED} lets several command instances share the work.
 */
@Component
@CommandRole
class TokenUseRelay implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(TokenUseRelay.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TokenUsageRecorder recorder;
    private final Duration pollInterval;
    private ScheduledExecutorService poller;

    TokenUseRelay(JdbcTemplate jdbc, TokenUsageRecorder recorder,
                  @Value("${tokenledger.usage.relay-interval:1s}") Duration pollInterval) {
        this.jdbc = jdbc;
        this.recorder = recorder;
        this.pollInterval = pollInterval;
    }

    /** Sends one batch of waiting uses; returns how many. */
    int relay() {
        return jdbc.query("""
                DELETE FROM token_use_relay WHERE token_id IN (
                    SELECT token_id FROM token_use_relay ORDER BY used_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING token_id, used_at, client_ip""",
                (rs, row) -> {
                    recorder.send(new TokenId(rs.getObject(1, java.util.UUID.class)), rs.getTimestamp(2).toInstant(),
                            rs.getString(3));
                    return 1;
                }, BATCH).size();
    }

    @Override
    public void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "token-use-relay");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                while (relay() == BATCH) {
                    // a full batch: more are waiting
                }
            } catch (RuntimeException e) {
                log.warn("Relaying token uses failed: {}", e.toString());
            }
        }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        poller.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return poller != null && !poller.isShutdown();
    }
}
