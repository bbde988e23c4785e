package io.tokenledger.app.config;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finishes what a tracking processor of an earlier release left undone, before this instance serves anyone. The
 * read models were tracking processors with their positions in {@code token_entry}; they are subscribing now and
 * keep no position. A store from an earlier release may hold events such a processor had not handled yet (it
 * trailed the head when the instance stopped). At start, each subscribing group that still has stored positions
 * handles, through its own handlers, every event after the lowest of them that not every segment had covered,
 * then forgets the positions, in one transaction: an instance starting beside it waits for that transaction and
 * then finds nothing left to do. The handlers are idempotent, so an event handled twice (a multi-segment group's
 * segments were at different places) changes nothing.
 */
@Component
class SubscribingCatchUp implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SubscribingCatchUp.class);

    private final EventProcessingConfiguration processing;
    private final EventStorageEngine events;
    private final Serializer serializer;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TransactionManager axonTransactions;
    private volatile boolean running;

    SubscribingCatchUp(EventProcessingConfiguration processing, EventStorageEngine events, Serializer serializer,
                       JdbcTemplate jdbc, PlatformTransactionManager transactions,
                       TransactionManager axonTransactions) {
        this.processing = processing;
        this.events = events;
        this.serializer = serializer;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.axonTransactions = axonTransactions;
    }

    @Override
    public void start() {
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof SubscribingEventProcessor subscribing) {
                tx.executeWithoutResult(status -> catchUp(name, subscribing));
            }
        });
        running = true;
    }

    private void catchUp(String name, SubscribingEventProcessor processor) {
        List<TrackingToken> positions = new ArrayList<>();
        jdbc.query("SELECT token, token_type FROM token_entry WHERE processor_name = ? FOR UPDATE", rs -> {
            byte[] token = rs.getBytes(1);
            positions.add(token == null ? null : serializer.deserialize(new SimpleSerializedObject<>(token,
                    byte[].class, new SimpleSerializedType(rs.getString(2), null))));
        }, name);
        if (positions.isEmpty()) {
            return;
        }
        TrackingToken from = lowest(positions);
        long handled = 0;
        try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(from, false)) {
            Iterator<? extends TrackedEventMessage<?>> it = stream.iterator();
            while (it.hasNext()) {
                TrackedEventMessage<?> event = it.next();
                if (positions.stream().allMatch(p -> p != null && covers(p, event.trackingToken()))) {
                    continue;
                }
                handle(processor, event);
                handled++;
            }
        }
        jdbc.update("DELETE FROM token_entry WHERE processor_name = ?", name);
        log.info("{} is written with each command from now on; it handled {} events its stored position had not"
                + " reached", name, handled);
    }

    /** Handles one event as the processor would, in a unit of work of its own within the open transaction. */
    private void handle(SubscribingEventProcessor processor, EventMessage<?> event) {
        DefaultUnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        unitOfWork.attachTransaction(axonTransactions);
        unitOfWork.execute(() -> {
            try {
                processor.eventHandlerInvoker().handle(event, Segment.ROOT_SEGMENT);
            } catch (Exception e) {
                throw new IllegalStateException(processor.getName() + " could not handle " + event.getIdentifier(),
                        e);
            }
        });
        if (unitOfWork.getExecutionResult().isExceptionResult()) {
            throw (RuntimeException) unitOfWork.getExecutionResult().getExceptionResult();
        }
    }

    /** A token before every event some segment has not handled; null (the store's start) if a segment had none. */
    private static TrackingToken lowest(List<TrackingToken> positions) {
        long lowest = Long.MAX_VALUE;
        for (TrackingToken position : positions) {
            TrackingToken token = position == null ? null : WrappedToken.unwrapLowerBound(position);
            if (!(token instanceof GapAwareTrackingToken gapAware)) {
                return null;
            }
            long before = gapAware.getGaps().isEmpty() ? gapAware.getIndex() : gapAware.getGaps().first() - 1;
            lowest = Math.min(lowest, before);
        }
        return lowest < 0 ? null : GapAwareTrackingToken.newInstance(lowest, List.of());
    }

    private static boolean covers(TrackingToken position, TrackingToken event) {
        return WrappedToken.unwrapLowerBound(position).covers(WrappedToken.unwrapLowerBound(event));
    }

    /** Before the web server starts taking requests. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
