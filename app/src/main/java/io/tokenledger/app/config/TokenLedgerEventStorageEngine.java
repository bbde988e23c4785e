package io.tokenledger.app.config;

import java.util.List;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Axon's JDBC storage engine, given no transaction manager of its own (Axon's builder is handed
 * {@code NoTransactionManager}) so that what it reads is not wrapped in a transaction: the event store's polls
 * for new events (ten a second while idle, and after every commit) are single statements on an autocommit
 * connection instead of BEGIN, a fetch, maybe a gap check, and COMMIT. Inside a command the connection is the
 * command's own, so an aggregate is still loaded in its command's transaction. What it writes runs in a Spring
 * transaction, joining the command's as before.
 *
 * <p>No snapshots: no aggregate here is snapshotted (a token's stream holds its changes only, a handful of events,
 * since a use is no longer one), so an aggregate is loaded without first looking for a snapshot, a statement per
 * command saved.
 */
final class TokenLedgerEventStorageEngine extends JdbcEventStorageEngine {
    private final TransactionTemplate writes;

    TokenLedgerEventStorageEngine(Builder builder, TransactionTemplate writes) {
        super(builder);
        this.writes = writes;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        writes.executeWithoutResult(status -> super.appendEvents(events, serializer));
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        writes.executeWithoutResult(status -> super.storeSnapshot(snapshot, serializer));
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return Stream.empty();
    }
}
