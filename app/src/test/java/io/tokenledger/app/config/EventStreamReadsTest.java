package io.tokenledger.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.IntegrationTest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The stream of all events as the event store reads it (batches of the next events after a token, a short batch
 * ending the read), against a table of its own shaped like the event store's so that nothing the test stores reaches
 * the application's processors or its audit chain.
 */
class EventStreamReadsTest extends IntegrationTest {
    private static final int BATCH = 10;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConnectionProvider connections;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer serializer;

    private String table;
    private TokenLedgerEventStorageEngine engine;
    private TransactionTemplate transactions;

    @BeforeEach
    void ownEventTable() {
        table = "stream_reads_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        jdbc.execute("CREATE SEQUENCE " + table + "_seq");
        jdbc.execute("CREATE TABLE " + table + " (LIKE domain_event_entry INCLUDING CONSTRAINTS INCLUDING INDEXES)");
        jdbc.execute("ALTER TABLE " + table + " ALTER COLUMN global_index SET DEFAULT nextval('" + table + "_seq')");
        transactions = new TransactionTemplate(transactionManager);
        EventSchema schema = TokenLedgerEventStorageEngine.schema(table);
        engine = new TokenLedgerEventStorageEngine(TokenLedgerEventStorageEngine.builder(schema)
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .connectionProvider(connections)
                .batchSize(BATCH), transactions);
    }

    @AfterEach
    void dropTable() {
        jdbc.execute("DROP TABLE " + table);
        jdbc.execute("DROP SEQUENCE " + table + "_seq");
    }

    @Test
    void everyEventIsReadWhetherTheLastBatchIsShortOrFull() {
        append(25);
        assertThat(payloads(read(null))).isEqualTo(IntStream.range(0, 25).mapToObj(i -> "event " + i).toList());
        append(5);
        assertThat(read(null)).hasSize(30);
    }

    @Test
    void aRunOfUnusedIndexesLongerThanABatchIsReadPast() {
        append(1);
        TrackingToken first = read(null).get(0).trackingToken();
        // as a run of rolled-back transactions leaves the sequence: 5 000 indexes no stored event has
        jdbc.queryForObject("SELECT setval('" + table + "_seq', nextval('" + table + "_seq') + 5000)", Long.class);
        appendOne("after the run");

        List<TrackedEventMessage<?>> after = read(first);

        assertThat(payloads(after)).containsExactly("after the run");
    }

    @Test
    void anEventCommittedAfterALaterOneIsReadFromTheTokensGap() throws Exception {
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            engine.appendEvents(List.of(GenericEventMessage.asEventMessage("committed late")));
            appended.countDown();
            await(commit);
        }));
        await(appended);
        appendOne("committed first");

        List<TrackedEventMessage<?>> before = read(null);
        assertThat(payloads(before)).containsExactly("committed first");
        GapAwareTrackingToken token = (GapAwareTrackingToken) before.get(0).trackingToken();
        assertThat(token.getGaps()).hasSize(1);

        commit.countDown();
        slow.get(10, TimeUnit.SECONDS);

        List<TrackedEventMessage<?>> late = read(token);
        assertThat(payloads(late)).containsExactly("committed late");
        assertThat(((GapAwareTrackingToken) late.get(0).trackingToken()).getGaps()).isEmpty();
    }

    /**
     * The tokens and times read are Axon's own engine's, the stored time parsed apart: gaps kept below a recent event,
     * dropped below one older than the gap timeout, from the start and from a token.
     */
    @Test
    void tokensAndTimesAreAxonsOwn() {
        append(3);
        jdbc.queryForObject("SELECT setval('" + table + "_seq', nextval('" + table + "_seq') + 3)", Long.class);
        append(2);
        jdbc.update("UPDATE " + table + " SET time_stamp = '2026-01-02T03:04:05.678Z' WHERE global_index = 2");
        jdbc.queryForObject("SELECT setval('" + table + "_seq', nextval('" + table + "_seq') + 2)", Long.class);
        append(2);
        jdbc.update("UPDATE " + table + " SET time_stamp = '2026-01-02T03:04:05.678+00:00' WHERE global_index = ("
                + "SELECT max(global_index) FROM " + table + ")");
        jdbc.update("DELETE FROM " + table + " WHERE global_index = 1");
        JdbcEventStorageEngine axons = JdbcEventStorageEngine.builder()
                .transactionManager(NoTransactionManager.instance())
                .schema(TokenLedgerEventStorageEngine.schema(table))
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .connectionProvider(connections)
                .batchSize(BATCH)
                .build();
        List<? extends TrackedEventMessage<?>> expected;
        try (Stream<? extends TrackedEventMessage<?>> events = axons.readEvents(null, false)) {
            expected = events.toList();
        }
        List<TrackedEventMessage<?>> read = read(null);

        assertThat(read).hasSize(expected.size()).hasSize(6);
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).trackingToken()).as("token %d", i).isEqualTo(expected.get(i).trackingToken());
            assertThat(read.get(i).getTimestamp()).as("time %d", i).isEqualTo(expected.get(i).getTimestamp());
            assertThat(read(read.get(i).trackingToken()).stream().map(TrackedEventMessage::trackingToken).toList())
                    .as("read on from %d", i).isEqualTo(expected.subList(i + 1, expected.size()).stream()
                            .map(TrackedEventMessage::trackingToken).toList());
        }
        assertThat(((GapAwareTrackingToken) read.get(0).trackingToken()).getGaps()).as("below an old event").isEmpty();
        assertThat(((GapAwareTrackingToken) read.get(2).trackingToken()).getGaps()).as("below a recent one")
                .containsExactly(4L, 5L, 6L, 7L);
        assertThat(((GapAwareTrackingToken) read.get(5).trackingToken()).getGaps()).as("below an old one").isEmpty();
    }

    private void append(int count) {
        int stored = jdbc.queryForObject("SELECT count(*) FROM " + table, Integer.class);
        for (int i = stored; i < stored + count; i++) {
            appendOne("event " + i);
        }
    }

    private void appendOne(String payload) {
        transactions.executeWithoutResult(status ->
                engine.appendEvents(List.of(GenericEventMessage.asEventMessage(payload))));
    }

    private List<TrackedEventMessage<?>> read(TrackingToken from) {
        try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(from, false)) {
            return events.<TrackedEventMessage<?>>map(e -> e).toList();
        }
    }

    private static List<Object> payloads(List<TrackedEventMessage<?>> events) {
        return events.stream().map(TrackedEventMessage::getPayload).map(Object.class::cast).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
