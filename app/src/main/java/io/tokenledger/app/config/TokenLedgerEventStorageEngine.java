package io.tokenledger.app.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Axon's JDBC storage engine, given no transaction manager of its own (Axon's builder is handed
 * {@code NoTransactionManager}) so that what it reads is not wrapped in a transaction: the event store's polls
 * for new events (ten a second while idle, and after every commit) are single statements on an autocommit
 * connection instead of BEGIN, a fetch and COMMIT. Inside a command the connection is the command's own, so an
 * aggregate is still loaded in its command's transaction. What it writes runs in a Spring transaction, joining the
 * command's as before.
 *
 * <p>Reading the stream of all events ({@link #builder(EventSchema)} sets the statements):
 * <ul>
 *   <li>A batch is the next {@code batchSize} stored events after the token ({@code > index ORDER BY LIMIT}), not
 *   Axon's window of global indexes {@code (index, index + batchSize]}. A window can come back empty although
 *   events lie beyond it (a run of rolled-back transactions leaves that many unused indexes), which is why Axon
 *   follows every empty window with a {@code SELECT min(global_index)} looking past it: two statements for every
 *   poll that finds nothing, ten times a second while idle and after every command. The next events are found
 *   whatever lies between, so that check is off.</li>
 *   <li>A batch shorter than {@code batchSize} ends the stream: there was nothing more when it was read. Axon's
 *   stream reads on until a batch comes back empty, a statement per poll that never finds anything (the event
 *   store's producer asks again at once anyway when a poll found events).</li>
 * </ul>
 *
 * <p>An aggregate's events are read the same way: its sequence numbers have no holes, so a batch shorter than
 * {@code batchSize} is its last and is not followed by a read that finds nothing.
 *
 * <p>Each event read is turned into its tracking token as Axon does (a gap below an event younger than
 * {@link #GAP_TIMEOUT_MS} is kept, up to {@link #MAX_GAP_OFFSET} behind), but its stored time is read by
 * {@link IsoInstants} instead of the general date-time parser, which was a sixth of reading an event (a rebuild
 * reads them all).
 *
 * <p>No snapshots: no aggregate here is snapshotted (a token's stream holds its changes only, a handful of events,
 * since a use is no longer one), so an aggregate is loaded without first looking for a snapshot, a statement per
 * command saved.
 */
final class TokenLedgerEventStorageEngine extends JdbcEventStorageEngine {
    /** Axon's defaults, set here because {@link #getTrackedEventData} uses them as well. */
    static final int MAX_GAP_OFFSET = 10_000;
    static final long LOWEST_GLOBAL_SEQUENCE = 1;
    static final int GAP_TIMEOUT_MS = 60_000;

    private final TransactionTemplate writes;

    TokenLedgerEventStorageEngine(Builder builder, TransactionTemplate writes) {
        super(builder);
        this.writes = writes;
    }

    /** The columns of an event table as Flyway creates them ({@code domain_event_entry}; tests make others alike). */
    static EventSchema schema(String table) {
        return EventSchema.builder()
                .eventTable(table)
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /** Axon's builder, reading without a transaction and the stream of all events as the class describes. */
    static Builder builder(EventSchema schema) {
        return JdbcEventStorageEngine.builder()
                .transactionManager(NoTransactionManager.instance())
                .schema(schema)
                .maxGapOffset(MAX_GAP_OFFSET)
                .lowestGlobalSequence(LOWEST_GLOBAL_SEQUENCE)
                .gapTimeout(GAP_TIMEOUT_MS)
                .extendedGapCheckEnabled(false)
                .readEventDataWithoutGaps(TokenLedgerEventStorageEngine::eventsAfter)
                .readEventDataWithGaps(TokenLedgerEventStorageEngine::eventsAfterAndInGaps);
    }

    /** The {@code batchSize} events after {@code index}, in order. */
    static PreparedStatement eventsAfter(Connection connection, EventSchema schema, long index, int batchSize)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(newer(schema));
        statement.setLong(1, index);
        statement.setInt(2, batchSize);
        return statement;
    }

    /**
     * The events stored in the token's gaps (transactions that committed after events with higher indexes) and the
     * {@code batchSize} events after {@code index}, in order: two index lookups joined, so that the gaps do not turn
     * the read into a scan of everything after the token.
     */
    static PreparedStatement eventsAfterAndInGaps(Connection connection, EventSchema schema, long index,
                                                  int batchSize, List<Long> gaps) throws SQLException {
        String sql = "SELECT * FROM ((SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable()
                + " WHERE " + schema.globalIndexColumn() + " IN (" + String.join(",", Collections.nCopies(gaps.size(),
                "?")) + ")) UNION ALL (" + newer(schema) + ")) batch ORDER BY " + schema.globalIndexColumn();
        PreparedStatement statement = connection.prepareStatement(sql);
        int parameter = 1;
        for (Long gap : gaps) {
            statement.setLong(parameter++, gap);
        }
        statement.setLong(parameter++, index);
        statement.setInt(parameter, batchSize);
        return statement;
    }

    private static String newer(EventSchema schema) {
        return "SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable() + " WHERE "
                + schema.globalIndexColumn() + " > ? ORDER BY " + schema.globalIndexColumn() + " LIMIT ?";
    }

    @Override
    protected Stream<? extends TrackedEventData<?>> readEventData(TrackingToken token, boolean mayBlock) {
        return StreamSupport.stream(new Batches(token), false);
    }

    /** Axon's own reading of an event and its token, but for how the stored time is parsed (see the class). */
    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        EventSchema schema = schema();
        long globalSequence = resultSet.getLong(schema.globalIndexColumn());
        String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
        String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
        Object timestamp = readTimeStamp(resultSet, schema.timestampColumn());
        GenericDomainEventEntry<?> event = new GenericDomainEventEntry<>(resultSet.getString(schema.typeColumn()),
                eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                resultSet.getLong(schema.sequenceNumberColumn()), eventIdentifier, timestamp,
                resultSet.getString(schema.payloadTypeColumn()), resultSet.getString(schema.payloadRevisionColumn()),
                readPayload(resultSet, schema.payloadColumn()), readPayload(resultSet, schema.metaDataColumn()));
        Instant storedAt = timestamp instanceof String text ? IsoInstants.parse(text) : null;
        if (storedAt == null) {
            storedAt = event.getTimestamp();
        }
        boolean allowGaps = storedAt.isAfter(GenericEventMessage.clock.instant().minus(GAP_TIMEOUT_MS,
                ChronoUnit.MILLIS));
        GapAwareTrackingToken token;
        if (previousToken == null) {
            token = GapAwareTrackingToken.newInstance(globalSequence, allowGaps
                    ? LongStream.range(Math.min(LOWEST_GLOBAL_SEQUENCE, globalSequence), globalSequence).boxed()
                    .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet());
        } else {
            token = previousToken.advanceTo(globalSequence, allowGaps ? MAX_GAP_OFFSET : 0);
        }
        return new TrackedDomainEventData<>(token, event);
    }

    @Override
    protected boolean fetchForAggregateUntilEmpty() {
        return false;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (JoiningTransactionManager.active()) {
            // a command's events, in the command's transaction
            super.appendEvents(events, serializer);
        } else {
            writes.executeWithoutResult(status -> super.appendEvents(events, serializer));
        }
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        writes.executeWithoutResult(status -> super.storeSnapshot(snapshot, serializer));
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return Stream.empty();
    }

    /** The stored events after a token, batch by batch, up to the first batch that comes back short. */
    private final class Batches extends Spliterators.AbstractSpliterator<TrackedEventData<?>> {
        private TrackingToken last;
        private Iterator<? extends TrackedEventData<?>> batch = Collections.emptyIterator();
        private boolean ended;

        Batches(TrackingToken from) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.last = from;
        }

        @Override
        public boolean tryAdvance(Consumer<? super TrackedEventData<?>> action) {
            if (!batch.hasNext()) {
                if (ended) {
                    return false;
                }
                List<? extends TrackedEventData<?>> next = fetchTrackedEvents(last, batchSize());
                ended = next.size() < batchSize();
                batch = next.iterator();
                if (!batch.hasNext()) {
                    return false;
                }
            }
            TrackedEventData<?> event = batch.next();
            last = event.trackingToken();
            action.accept(event);
            return true;
        }
    }
}
