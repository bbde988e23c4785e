package io.tokenledger.app.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The event store as the processors read it, with a wake-up call. A pooled processor that has caught up asks its
 * stream to call it back when events arrive; the embedded store's streams cannot, so the processor looked again
 * only every 500 ms, and every write waited about that long for its read models. This source calls every open
 * stream back after each local commit of events, and on a short tick for events other instances stored (which
 * the embedded store fetches on its own poll).
 */
class WakingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {
    private final EventStore store;
    /** When, after a local commit, the processors are woken again. */
    private static final long[] AFTER_COMMIT_MILLIS = {2, 10, 30};

    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;

    WakingEventSource(EventStore store, Duration tick) {
        this.store = store;
        store.subscribe(events -> {
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().root().afterCommit(unitOfWork -> wakeSoon());
            } else {
                wakeSoon();
            }
        });
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "event-source-tick");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::wake, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the tick when the application stops. */
    void stop() {
        ticker.shutdownNow();
    }

    /**
     * Wakes the processors now and a few times in the next moments: the embedded store fetches newly committed
     * events on its own thread, so the first call may come before they can be read.
     */
    private void wakeSoon() {
        wake();
        for (long delay : AFTER_COMMIT_MILLIS) {
            ticker.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void wake() {
        callbacks.forEach(Runnable::run);
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
        return new WakingStream(store.openStream(token));
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return store.createTokenSince(duration);
    }

    /** One processor's stream: the store's own, plus the call-back it asks for. */
    private final class WakingStream implements BlockingStream<TrackedEventMessage<?>> {
        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private Runnable callback;

        private WakingStream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            if (this.callback != null) {
                callbacks.remove(this.callback);
            }
            this.callback = callback;
            callbacks.add(callback);

            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public boolean hasNextAvailable() {
            return delegate.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public Stream<TrackedEventMessage<?>> asStream() {
            return delegate.asStream();
        }

        @Override
        public void close() {
            if (callback != null) {
                callbacks.remove(callback);
            }
            delegate.close();
        }
    }
}
