package io.tokenledger.query.live;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserRoleChanged;
import io.tokenledger.query.credential.CredentialLookup;
import io.tokenledger.query.token.TokenChanges;
import io.tokenledger.query.token.TokenQueries;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This instance's own view of changes as they are stored, whichever instance stored them and whichever runs the
 * projections: its processor keeps its token in memory and starts at the head, so every instance sees every new
 * event. A revoked or expired token, or a user's new state, takes effect in authentication at once. What reads
 * a projection (the token stream's rows, the cache's reloads) waits until that projection, wherever it runs,
 * has written the event; a short poll of the token store tells, and a bound keeps a stopped projection from
 * holding changes back for ever.
 */
@Component
@ProcessingGroup(LiveUpdates.GROUP)
public class LiveUpdates implements SmartLifecycle {
    /** The processing group, and the name of the per-instance processor that runs it. */
    public static final String GROUP = "live";
    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

    private final CredentialLookup credentials;
    private final TokenChanges tokens;
    private final ProjectionProgress progress;
    private final Duration pollInterval;
    private final Duration maxWait;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService poller;

    LiveUpdates(CredentialLookup credentials, TokenChanges tokens, ProjectionProgress progress,
                @Value("${tokenledger.live.poll-interval:10ms}") Duration pollInterval,
                @Value("${tokenledger.live.max-wait:5s}") Duration maxWait) {
        this.credentials = credentials;
        this.tokens = tokens;
        this.progress = progress;
        this.pollInterval = pollInterval;
        this.maxWait = maxWait;
    }

    /** Something to do once a projection has written the event of a token, or once waiting is over. */
    private record Pending(String projection, TrackingToken token, Runnable action, long giveUpAt) {
    }

    @EventHandler
    void on(PermanentTokenCreated event, TrackingToken token) {
        tokenChanged(event.tokenId().value(), token);
    }

    @EventHandler
    void on(TemporaryTokenIssued event, TrackingToken token) {
        tokenChanged(event.tokenId().value(), token);
    }

    @EventHandler
    void on(TokenRotated event, TrackingToken token) {
        tokenChanged(event.tokenId().value(), token);
    }

    @EventHandler
    void on(TokenRevoked event, TrackingToken token) {
        credentials.tokenEnded(event.hash(), TokenStatus.REVOKED);
        tokenChanged(event.tokenId().value(), token);
    }

    @EventHandler
    void on(TokenExpired event, TrackingToken token) {
        credentials.tokenEnded(event.hash(), TokenStatus.EXPIRED);
        tokenChanged(event.tokenId().value(), token);
    }

    @EventHandler
    void on(UserDisabled event, TrackingToken token) {
        userChanged(event.userId(), token, false, null);
    }

    @EventHandler
    void on(UserEnabled event, TrackingToken token) {
        userChanged(event.userId(), token, true, null);
    }

    @EventHandler
    void on(UserRoleChanged event, TrackingToken token) {
        userChanged(event.userId(), token, null, event.to());
    }

    private void tokenChanged(UUID tokenId, TrackingToken token) {
        if (tokens.hasSubscribers()) {
            after(TokenQueries.PROJECTION, token, () -> tokens.publish(tokenId));
        }
    }

    private void userChanged(UserId userId, TrackingToken token, Boolean enabled, io.tokenledger.api.user.Role role) {
        long index = index(token);
        credentials.userChanged(userId, index, enabled, role);
        after(CredentialLookup.PROJECTION, token, () -> credentials.userSettled(userId, index));
    }

    private void after(String projection, TrackingToken token, Runnable action) {
        pending.add(new Pending(projection, token, action, System.nanoTime() + maxWait.toNanos()));
    }

    private static long index(TrackingToken token) {
        return WrappedToken.unwrapLowerBound(token).position().orElseThrow();
    }

    /** Runs what each projection has caught up with, reading each projection's progress once per round. */
    void drain() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, ProjectionProgress.Snapshot> snapshots = new HashMap<>();
        long now = System.nanoTime();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending next = it.next();
            boolean due = now - next.giveUpAt() > 0;
            if (due || snapshots.computeIfAbsent(next.projection(), progress::of).covers(next.token())) {
                it.remove();
                if (due) {
                    log.debug("{} had not reached {} within {}; going ahead", next.projection(), next.token(),
                            maxWait);
                }
                try {
                    next.action().run();
                } catch (RuntimeException e) {
                    log.warn("A live update for {} failed: {}", next.token(), e.toString());
                }
            }
        }
    }

    @Override
    public void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "live-updates");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                drain();
            } catch (RuntimeException e) {
                log.warn("Reading projection progress failed: {}", e.toString());
            }
        }, pollInterval.toNanos(), pollInterval.toNanos(), TimeUnit.NANOSECONDS);
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
