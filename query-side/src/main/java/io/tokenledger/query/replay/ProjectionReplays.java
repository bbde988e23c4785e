package io.tokenledger.query.replay;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.replay.ProjectionReplayStarted;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lists the processing groups with their positions, and rebuilds a read model while its live tables keep
 * serving reads: the rebuild copies each live table into a new {@code <table>_replay} twin, reads the event
 * store in large batches and dispatches each event to the projection's own event handlers, which write into the
 * twins (one transaction per batch); once nearly caught up, one transaction locks the live tables (holding back
 * the live processors' batches on every instance), applies the rest up to the head, swaps the two sets of tables
 * by name and drops the old one. The live processors then carry on from their own positions on the rebuilt
 * tables, where re-applying what the rebuild already holds changes nothing. A replay runs on one instance at a
 * time, guarded by a PostgreSQL advisory lock (docs/decisions.md).
 */
@Component
public class ProjectionReplays implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ProjectionReplays.class);
    /** Stored events read per transaction of a rebuild. */
    static final int BATCH = 5_000;
    /** Events handed over at a time from the thread that reads a rebuild's events to the one that applies them. */
    private static final int READ_AHEAD = 500;
    /** A pass over the store that found fewer new events than this is close enough to the head to swap. */
    static final int SWAP_WITHIN = 2_000;
    private static final int SWAP_ATTEMPTS = 10;
    /** A replay reports at every batch; one silent for longer died with its instance. */
    private static final Duration STALE = Duration.ofMinutes(1);
    /**
     * The fill factor of the twins while the bulk is written: a row's later events update it on its own page
     * (a heap-only tuple, no new entry in any index) instead of moving it, as full pages would.
     */
    private static final int BULK_FILLFACTOR = 50;
    /**
     * Connections that build a rebuild's deferred indexes at once: each build is mostly one sort on one core, and
     * nothing else of the rebuild runs meanwhile (on two cores, two builds at a time took 0.28 s where one after
     * the other took 0.69; docs/performance.md).
     */
    private static final int INDEX_BUILDERS = 2;
    /** Discrepancies a check names; it counts them all. */
    static final int DISCREPANCIES_LISTED = 100;

    private final Map<String, ReplayableProjection> projections;
    private final Map<String, AnnotationEventHandlerAdapter> handlers;
    private final Map<String, Map<Class<?>, Boolean>> handled = new ConcurrentHashMap<>();
    private final EventStorageEngine events;
    private final EventProcessingConfiguration processing;
    private final Serializer serializer;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TransactionTemplate snapshot;
    private final EventGateway audit;
    private final ExecutorService executor =
            Executors.newCachedThreadPool(new AxonThreadFactory("projection-replay"));

    /**
     * @param parameterResolvers Axon's, which the processors build their handlers with: a rebuild calls the same
     *                           handler methods with the same arguments, its batch bound as their writes
     */
    ProjectionReplays(List<ReplayableProjection> projections, EventStorageEngine events,
                      EventProcessingConfiguration processing, Serializer serializer, DataSource dataSource,
                      JdbcTemplate jdbc, PlatformTransactionManager transactions,
                      ParameterResolverFactory parameterResolvers, EventGateway audit) {
        this.projections = projections.stream()
                .collect(Collectors.toMap(ReplayableProjection::group, Function.identity()));
        this.handlers = projections.stream().collect(Collectors.toMap(ReplayableProjection::group,
                p -> new AnnotationEventHandlerAdapter(p, parameterResolvers)));
        this.events = events;
        this.processing = processing;
        this.serializer = serializer;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.audit = audit;
    }

    /** Every processing group known here or in the token store, by name. */
    public List<ProjectionStatus> list() {
        long head = head();
        Map<String, Long> positions = storedPositions();
        Map<String, ProjectionStatus.Progress> progress = progress();
        Set<String> names = new TreeSet<>(positions.keySet());
        names.addAll(projections.keySet());
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor || processor instanceof SubscribingEventProcessor) {
                names.add(name);
            }
        });
        return names.stream().map(name -> status(name, head, positions.get(name), progress.get(name))).toList();
    }

    /**
     * The lowest position each tracking processor has stored for any of its segments, held or not (0 for a segment
     * without a token): where the group as a whole stands.
     */
    private Map<String, Long> storedPositions() {
        Map<String, Long> positions = new java.util.HashMap<>();
        jdbc.query("SELECT processor_name, token, token_type FROM token_entry", rs -> {
            byte[] serialized = rs.getBytes(2);
            TrackingToken token = serialized == null ? null : serializer.deserialize(new SimpleSerializedObject<>(
                    serialized, byte[].class, new SimpleSerializedType(rs.getString(3), null)));
            long position = token == null ? 0 : WrappedToken.unwrapLowerBound(token).position().orElse(0);
            positions.merge(rs.getString(1), position, Math::min);
        });
        return positions;
    }

    /** One group, or empty if no instance ever ran it. */
    public Optional<ProjectionStatus> find(String name) {
        return list().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Starts rebuilding the group's read model in the background and returns its status.
     *
     * @throws CommandRejected not found for an unknown group, conflict for one that is never replayed or whose
     *                         replay is already running (on any instance)
     */
    public ProjectionStatus start(String name) {
        if (find(name).isEmpty()) {
            throw CommandRejected.notFound("no projection " + name);
        }
        ReplayableProjection projection = projections.get(name);
        if (projection == null) {
            throw CommandRejected.conflict(name + " cannot be replayed: " + notReplayable(name));
        }
        Connection lock = tryLock(name);
        if (lock == null) {
            throw CommandRejected.conflict("a replay of " + name + " is already running");
        }
        try {
            long head = head();
            // The replay's row and the event that puts it in the audit log (who started it, from where, when)
            // commit together.
            tx.executeWithoutResult(status -> {
                jdbc.update("""
                        INSERT INTO projection_replay (name, state, position, head, events, started_at, updated_at)
                        VALUES (?, 'RUNNING', 0, ?, 0, now(), now())
                        ON CONFLICT (name) DO UPDATE SET state = 'RUNNING', position = 0, head = EXCLUDED.head,
                            events = 0, started_at = now(), updated_at = now(), finished_at = NULL, failure = NULL""",
                        name, head);
                audit.publish(new ProjectionReplayStarted(name, head));
            });
            executor.execute(() -> run(projection, lock));
        } catch (RuntimeException e) {
            unlock(lock);
            throw e;
        }
        return find(name).orElseThrow();
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }

    private void run(ReplayableProjection projection, Connection lock) {
        String name = projection.group();
        long started = System.nanoTime();
        try {
            Finish finish = createTwins(projection);
            Pass pass = new Pass(null, 0, 0);
            do {
                pass = catchUp(projection, pass.token(), pass.applied(), true);
            } while (pass.read() >= SWAP_WITHIN);
            long bulk = System.nanoTime();
            finishTwins(new ArrayDeque<>(finish.tables()));
            long indexing = System.nanoTime();
            buildIndexes(finish.indexes());
            long finished = System.nanoTime();
            long applied = swap(projection, pass);
            projection.swapped();
            long done = System.nanoTime();
            double seconds = (done - started) / 1e9;
            log.info("Replayed {}: {} events applied in {} s ({} events/s; the bulk {} s, finishing the twins {} s"
                    + " of which their deferred indexes {} s, the last events and the swap {} s)", name, applied,
                    String.format("%.1f", seconds), Math.round(applied / seconds),
                    String.format("%.2f", (bulk - started) / 1e9), String.format("%.2f", (finished - bulk) / 1e9),
                    String.format("%.2f", (finished - indexing) / 1e9), String.format("%.2f", (done - finished) / 1e9));
        } catch (Exception e) {
            log.error("Replay of {} failed; its live tables are unchanged", name, e);
            String failure = String.valueOf(e.getMessage());
            jdbc.update("UPDATE projection_replay SET state = 'FAILED', updated_at = now(), finished_at = now(),"
                    + " failure = ? WHERE name = ?", failure.substring(0, Math.min(500, failure.length())), name);
            try {
                jdbc.execute("DROP TABLE IF EXISTS " + String.join(", ", twins(projection)));
            } catch (RuntimeException cleanup) {
                log.warn("Could not drop the twins of {}; the next replay drops them", name, cleanup);
            }
        } finally {
            unlock(lock);
        }
    }

    /**
     * What checking a read model against its events found.
     *
     * @param name             the read model's processing group
     * @param verified         whether every row of its tables is what its events make of it
     * @param checkedRows      rows of its live tables compared
     * @param discrepancyCount rows that differ, in all
     * @param discrepancies    the first {@value #DISCREPANCIES_LISTED} of them, by table and key
     */
    public record ReadModelCheck(String name, boolean verified, long checkedRows, long discrepancyCount,
                                 List<Discrepancy> discrepancies) {
    }

    /**
     * A row that is not what the events make of it: {@code UNEXPLAINED} (no event put it there), {@code CHANGED}
     * (its values differ from what its events wrote) or {@code MISSING} (its events wrote it, it is gone).
     */
    public record Discrepancy(String table, String key, String found) {
    }

    /**
     * Rebuilds a read model from every stored event with its own handlers into temporary tables, and compares them
     * with its live tables row by row; nothing is written. Events and live tables are read in one snapshot, so
     * commands running meanwhile (which write both in one transaction) never show as a difference.
     */
    public ReadModelCheck check(String group) {
        ReplayableProjection projection = projections.get(group);
        if (projection == null) {
            throw new IllegalArgumentException("no rebuildable read model " + group);
        }
        return snapshot.execute(status -> {
            status.setRollbackOnly(); // its scratch tables go with the transaction
            for (String table : projection.tables()) {
                jdbc.execute("CREATE TEMPORARY TABLE " + ProjectionWrites.TableNames.CHECK.table(table)
                        + " (LIKE " + table + " INCLUDING ALL) ON COMMIT DROP");
            }
            ReplayBatch batch = new ReplayBatch(ProjectionWrites.TableNames.CHECK);
            try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(null, false)) {
                stream.filter(event -> handles(projection, event)).forEach(event -> {
                    ProjectionWritesResolver.rebuild(handlers.get(group), event, batch);
                    if (batch.size() >= BATCH) {
                        batch.flush(jdbc);
                    }
                });
            }
            batch.flush(jdbc);
            long rows = 0;
            long count = 0;
            List<Discrepancy> listed = new ArrayList<>();
            for (String table : projection.tables()) {
                rows += jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
                String key = primaryKey(table);
                String check = ProjectionWrites.TableNames.CHECK.table(table);
                List<Object[]> found = jdbc.query("SELECT coalesce(l." + key + ", c." + key + ")::text, CASE"
                        + " WHEN c." + key + " IS NULL THEN 'UNEXPLAINED' WHEN l." + key + " IS NULL THEN 'MISSING'"
                        + " ELSE 'CHANGED' END, count(*) OVER ()"
                        + " FROM " + table + " l FULL JOIN " + check + " c ON c." + key + " = l." + key
                        + " WHERE l." + key + " IS NULL OR c." + key + " IS NULL OR ROW(l.*) IS DISTINCT FROM ROW(c.*)"
                        + " ORDER BY 1 LIMIT " + DISCREPANCIES_LISTED,
                        (rs, i) -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)});
                for (Object[] row : found) {
                    if (listed.size() < DISCREPANCIES_LISTED) {
                        listed.add(new Discrepancy(table, (String) row[0], (String) row[1]));
                    }
                }
                count += found.isEmpty() ? 0 : (Long) found.get(0)[2];
            }
            return new ReadModelCheck(group, count == 0, rows, count, listed);
        });
    }

    /** The one column of a read model table's primary key. */
    private String primaryKey(String table) {
        List<String> columns = jdbc.queryForList("""
                SELECT a.attname FROM pg_index x JOIN pg_attribute a ON a.attrelid = x.indrelid
                    AND a.attnum = ANY (x.indkey)
                WHERE x.indrelid = to_regclass(?) AND x.indisprimary""", String.class, table);
        if (columns.size() != 1) {
            throw new IllegalStateException(table + " has no one-column primary key to compare its rows by");
        }
        return columns.get(0);
    }

    /** How far a rebuild got: its token, the events it applied, and how many it read in the last pass. */
    private record Pass(TrackingToken token, long applied, long read) {
    }

    /**
     * Applies every event after the token that is in the store now, a transaction per batch, and reports progress
     * with each. Pipelined, three threads take part: one reads the events and decodes their payloads
     * ({@link ReadAhead}), this one dispatches them to the handlers, and another writes the batches in order, one
     * after the other (up to two wait to be written); otherwise each batch is read and written here, in the caller's
     * transaction if there is one.
     */
    private Pass catchUp(ReplayableProjection projection, TrackingToken from, long appliedBefore, boolean pipelined) {
        TrackingToken token = from;
        long applied = appliedBefore;
        long read = 0;
        ReplayBatch batch = new ReplayBatch();
        int inBatch = 0;
        CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);
        CompletableFuture<Void> queued = writing;
        try (Events source = pipelined ? new ReadAhead(projection, from) : new Direct(from)) {
            Iterator<? extends TrackedEventMessage<?>> it = source.iterator();
            while (it.hasNext()) {
                TrackedEventMessage<?> event = it.next();
                token = event.trackingToken();
                read++;
                if (handles(projection, event)) {
                    ProjectionWritesResolver.rebuild(handlers.get(projection.group()), event, batch);
                    applied++;
                }
                if (++inBatch == BATCH) {
                    ReplayBatch full = batch;
                    TrackingToken at = token;
                    long count = applied;
                    if (pipelined) {
                        // one batch written while the next waits its turn and a third is read: a slow moment of
                        // either side does not stall the other
                        writing.join();
                        writing = queued;
                        queued = queued.thenRunAsync(() -> write(projection, full, at, count), executor);
                    } else {
                        write(projection, full, at, count);
                    }
                    batch = new ReplayBatch();
                    inBatch = 0;
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException("interrupted: the instance is shutting down");
                    }
                }
            }
        } finally {
            queued.join();
        }
        if (inBatch > 0) {
            write(projection, batch, token, applied);
        }
        return new Pass(token, applied, read);
    }

    /** The events after a token, in order, read on the calling thread or ahead of it. */
    private interface Events extends AutoCloseable {
        Iterator<? extends TrackedEventMessage<?>> iterator();

        @Override
        void close();
    }

    /** Read as the caller asks for them, in the caller's transaction if there is one. */
    private final class Direct implements Events {
        private final Stream<? extends TrackedEventMessage<?>> stream;

        Direct(TrackingToken from) {
            this.stream = events.readEvents(from, false);
        }

        @Override
        public Iterator<? extends TrackedEventMessage<?>> iterator() {
            return stream.iterator();
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    /**
     * Read by a thread of their own, which also decodes the payloads of the events the projection handles (the
     * larger part of the reading), and handed over {@value #READ_AHEAD} at a time, a few hand-overs ahead of the
     * caller. A failure to read or decode is thrown to the caller where it reaches the failed event.
     */
    private final class ReadAhead implements Events, Iterator<TrackedEventMessage<?>> {
        private static final List<TrackedEventMessage<?>> END = List.of();
        private final java.util.concurrent.BlockingQueue<List<TrackedEventMessage<?>>> handed =
                new java.util.concurrent.ArrayBlockingQueue<>(4);
        private final CompletableFuture<Void> reading;
        private volatile boolean closed;
        private volatile RuntimeException failure;
        private Iterator<TrackedEventMessage<?>> current = java.util.Collections.emptyIterator();
        private boolean ended;

        ReadAhead(ReplayableProjection projection, TrackingToken from) {
            reading = CompletableFuture.runAsync(() -> {
                try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(from, false)) {
                    List<TrackedEventMessage<?>> chunk = new ArrayList<>(READ_AHEAD);
                    Iterator<? extends TrackedEventMessage<?>> it = stream.iterator();
                    while (it.hasNext() && !closed) {
                        TrackedEventMessage<?> event = it.next();
                        if (handles(projection, event)) {
                            event.getPayload();
                        }
                        chunk.add(event);
                        if (chunk.size() == READ_AHEAD) {
                            hand(chunk);
                            chunk = new ArrayList<>(READ_AHEAD);
                        }
                    }
                    if (!chunk.isEmpty()) {
                        hand(chunk);
                    }
                } catch (RuntimeException e) {
                    failure = e;
                } catch (InterruptedException e) {
                    failure = new IllegalStateException("interrupted: the instance is shutting down", e);
                } finally {
                    try {
                        hand(END);
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
            }, executor);
        }

        private void hand(List<TrackedEventMessage<?>> chunk) throws InterruptedException {
            while (!closed && !handed.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // the caller is busy; it takes the next hand-over soon, or closes
            }
        }

        @Override
        public Iterator<? extends TrackedEventMessage<?>> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && !ended) {
                List<TrackedEventMessage<?>> next;
                try {
                    next = handed.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted: the instance is shutting down", e);
                }
                if (next == END) {
                    ended = true;
                    if (failure != null) {
                        throw failure;
                    }
                }
                current = next.iterator();
            }
            return current.hasNext();
        }

        @Override
        public TrackedEventMessage<?> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return current.next();
        }

        /** Stops the reading (if the caller stops early) and waits until its statement and stream are closed. */
        @Override
        public void close() {
            closed = true;
            handed.clear();
            reading.join();
        }
    }

    private void write(ReplayableProjection projection, ReplayBatch batch, TrackingToken token, long applied) {
        tx.executeWithoutResult(status -> {
            // a crash loses at most the last batches of a rebuild, which is started again anyway
            jdbc.execute("SET LOCAL synchronous_commit = off");
            batch.flush(jdbc);
            jdbc.update("""
                    UPDATE projection_replay SET position = ?, head = (SELECT max(global_index) FROM domain_event_entry),
                        events = ?, updated_at = now()
                    WHERE name = ?""", position(token), applied, projection.group());
        });
    }

    /**
     * Locks the live tables, applies what is left up to the head, and exchanges the names of the two table sets
     * with their indexes and constraints; then drops the old set. Every event the group handles writes one of
     * its tables, so with those locked no live batch can commit a position past what the rebuild holds, and a
     * batch waiting on the lock continues on the rebuilt tables (PostgreSQL looks the name up again). A lock
     * wait that times out or deadlocks with a live batch is retried after another pass.
     */
    private long swap(ReplayableProjection projection, Pass caughtUp) {
        Pass pass = caughtUp;
        for (int attempt = 1; ; attempt++) {
            Pass before = pass;
            try {
                return tx.execute(status -> {
                    jdbc.execute("SET LOCAL lock_timeout = '5s'");
                    jdbc.execute("LOCK TABLE " + String.join(", ", projection.tables()) + " IN ACCESS EXCLUSIVE MODE");
                    Pass last = catchUp(projection, before.token(), before.applied(), false);
                    for (String table : projection.tables()) {
                        exchange(table);
                    }
                    jdbc.execute("DROP TABLE " + String.join(", ", twins(projection)));
                    jdbc.update("UPDATE projection_replay SET state = 'DONE', finished_at = now(), updated_at = now()"
                            + " WHERE name = ?", projection.group());
                    return last.applied();
                });
            } catch (PessimisticLockingFailureException e) {
                if (attempt == SWAP_ATTEMPTS) {
                    throw e;
                }
                log.info("Replay of {}: the live tables were busy ({}); catching up again", projection.group(),
                        e.getMostSpecificCause().getMessage());
                pass = catchUp(projection, before.token(), before.applied(), true);
            }
        }
    }

    /** Swaps the names of a live table and its twin, and of each of their indexes (and so constraints). */
    private void exchange(String table) {
        String twin = ProjectionWrites.TableNames.REPLAY.table(table);
        for (String index : indexes(table)) {
            String twinIndex = ProjectionWrites.TableNames.REPLAY.table(index);
            jdbc.execute("ALTER INDEX " + index + " RENAME TO " + index + "_swap");
            jdbc.execute("ALTER INDEX " + twinIndex + " RENAME TO " + index);
            jdbc.execute("ALTER INDEX " + index + "_swap RENAME TO " + twinIndex);
        }
        jdbc.execute("ALTER TABLE " + table + " RENAME TO " + table + "_swap");
        jdbc.execute("ALTER TABLE " + twin + " RENAME TO " + table);
        jdbc.execute("ALTER TABLE " + table + "_swap RENAME TO " + twin);
    }

    /**
     * What is left to do to the twins after the bulk: the tables' statements in order, then the deferred indexes,
     * in any order.
     */
    private record Finish(List<String> tables, List<String> indexes) {
    }

    /** Builds a rebuild's deferred indexes, on {@value #INDEX_BUILDERS} connections at once. */
    private void buildIndexes(List<String> deferred) {
        Queue<String> indexes = new ConcurrentLinkedQueue<>(deferred);
        List<CompletableFuture<Void>> builders = new ArrayList<>();
        for (int i = 0; i < INDEX_BUILDERS; i++) {
            builders.add(CompletableFuture.runAsync(() -> finishTwins(indexes), executor));
        }
        try {
            CompletableFuture.allOf(builders.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            indexes.clear();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Runs statements that finish the twins on one connection, taking them from the queue until it is empty, with
     * the WAL's full-page images uncompressed where the role may set that: these statements write every
     * page of a table or index to the WAL once, whole, and compressing them (the embedded server's
     * {@code wal_compression = pglz}) took a fifth to two fifths of the finishing (docs/performance.md). A role that may
     * not set it (an external server's non-superuser, unless granted) writes them as the server is configured.
     */
    private void finishTwins(Queue<String> statements) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            try (Statement statement = connection.createStatement()) {
                boolean uncompressed = uncompressedWal(statement);
                try {
                    for (String sql = statements.poll(); sql != null; sql = statements.poll()) {
                        statement.execute(sql);
                    }
                } finally {
                    if (uncompressed) {
                        statement.execute("RESET wal_compression"); // the connection goes back to the pool
                    }
                }
            }
            return null;
        });
    }

    /** Sets the session's WAL compression off, if the role may; false if it may not. */
    private static boolean uncompressedWal(Statement statement) throws SQLException {
        try {
            statement.execute("SET wal_compression = off");
            return true;
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) { // insufficient_privilege
                throw e;
            }
            log.debug("This role may not set wal_compression; the twins are finished with the server's setting");
            return false;
        }
    }

    /**
     * Creates each live table's twin from the live table as it is now, whatever migrations did to it: its columns,
     * defaults, check constraints, storage and storage parameters, and its indexes and key constraints named after
     * the live ones plus {@code _replay}, so the swap can exchange the names. A twin left by a failed replay is
     * dropped first. Only the key and unique indexes and those the rules look rows up by
     * ({@link ReplayableProjection#lookupIndexes()}) are built now. For the bulk, the twins are unlogged (they hold
     * nothing worth recovering until the swap: no WAL row by row) and have room on each page for updates.
     *
     * @return what finishes the twins once the bulk of the events is in: the live fill factor back, logged (one
     * rewrite, which also packs the rows), and the other indexes
     */
    private Finish createTwins(ReplayableProjection projection) {
        List<String> finish = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        for (String table : projection.tables()) {
            String twin = ProjectionWrites.TableNames.REPLAY.table(table);
            List<String> options = jdbc.queryForList(
                    "SELECT unnest(reloptions) FROM pg_class WHERE oid = to_regclass(?)", String.class, table);
            List<String> bulk = new ArrayList<>(options.stream().filter(o -> !o.startsWith("fillfactor=")).toList());
            bulk.add("fillfactor=" + BULK_FILLFACTOR);
            jdbc.execute("DROP TABLE IF EXISTS " + twin);
            jdbc.execute("CREATE UNLOGGED TABLE " + twin + " (LIKE " + table + " INCLUDING ALL EXCLUDING INDEXES)"
                    + " WITH (" + String.join(", ", bulk) + ")");
            finish.add(options.stream().filter(o -> o.startsWith("fillfactor=")).findFirst()
                    .map(o -> "ALTER TABLE " + twin + " SET (" + o + ")")
                    .orElse("ALTER TABLE " + twin + " RESET (fillfactor)"));
            finish.add("ALTER TABLE " + twin + " SET LOGGED");
            jdbc.query("""
                    SELECT i.relname, pg_get_indexdef(i.oid), x.indisunique, c.contype, c.conname
                    FROM pg_index x
                         JOIN pg_class i ON i.oid = x.indexrelid
                         LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
                    WHERE x.indrelid = to_regclass(?)""", rs -> {
                String index = rs.getString(1);
                String twinIndex = ProjectionWrites.TableNames.REPLAY.table(index);
                String create = rs.getString(2).replaceFirst(" INDEX \\S+ ON (\\S+\\.)?\\S+ ",
                        " INDEX " + twinIndex + " ON " + twin + " ");
                String constraint = rs.getString(4);
                if (!rs.getBoolean(3) && !projection.lookupIndexes().contains(index)) {
                    deferred.add(create);
                    return;
                }
                jdbc.execute(create);
                if (constraint != null) {
                    String kind = switch (constraint) {
                        case "p" -> "PRIMARY KEY";
                        case "u" -> "UNIQUE";
                        default -> throw new IllegalStateException(
                                "index " + index + " backs a constraint a rebuild cannot copy: " + constraint);
                    };
                    jdbc.execute("ALTER TABLE " + twin + " ADD CONSTRAINT "
                            + ProjectionWrites.TableNames.REPLAY.table(rs.getString(5)) + " " + kind
                            + " USING INDEX " + twinIndex);
                }
            }, table);
        }
        return new Finish(finish, deferred);
    }

    private List<String> indexes(String table) {
        return jdbc.queryForList("""
                SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = to_regclass(?) ORDER BY i.relname""", String.class, table);
    }

    private static List<String> twins(ReplayableProjection projection) {
        return projection.tables().stream().map(ProjectionWrites.TableNames.REPLAY::table).toList();
    }

    private boolean handles(ReplayableProjection projection, TrackedEventMessage<?> event) {
        return handled.computeIfAbsent(projection.group(), g -> new ConcurrentHashMap<>())
                .computeIfAbsent(event.getPayloadType(), t -> handlers.get(projection.group()).canHandle(event));
    }

    private ProjectionStatus status(String name, long head, Long position, ProjectionStatus.Progress progress) {
        boolean replaying = progress != null && progress.state().equals("RUNNING");
        Optional<EventProcessor> processor = processing.eventProcessor(name);
        String status;
        if (replaying) {
            status = "REPLAYING";
        } else if (processor.isEmpty()) {
            status = "NOT_RUNNING_HERE";
        } else if (processor.get() instanceof StreamingEventProcessor streaming && streaming.isError()) {
            status = "ERROR";
        } else {
            status = processor.get().isRunning() ? "RUNNING" : "STOPPED";
        }
        if (processor.orElse(null) instanceof SubscribingEventProcessor) {
            // written in the transaction of each command: always where the event store is
            position = head;
        }
        Long lag = position == null ? null : Math.max(0, head - position);
        return new ProjectionStatus(name, status, position, head, lag, projections.containsKey(name), replaying,
                progress);
    }

    private long head() {
        Long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    private static long position(TrackingToken token) {
        if (token == null) {
            return 0;
        }
        OptionalLong position = token.position();
        return position.orElse(0);
    }

    private Map<String, ProjectionStatus.Progress> progress() {
        Map<String, ProjectionStatus.Progress> progress = new java.util.HashMap<>();
        jdbc.query("""
                SELECT name, CASE WHEN state = 'RUNNING' AND updated_at < now() - make_interval(secs => ?)
                                  THEN 'ABANDONED' ELSE state END,
                       events, position, head, started_at, updated_at, finished_at, failure
                FROM projection_replay""", rs -> {
            String state = rs.getString(2);
            Long position = (Long) rs.getObject(4);
            Long head = (Long) rs.getObject(5);
            double percent = state.equals("DONE") ? 100
                    : head == null || head == 0 || position == null ? 0 : Math.min(100, 100.0 * position / head);
            progress.put(rs.getString(1), new ProjectionStatus.Progress(state, rs.getLong(3), position, head,
                    Math.round(percent * 10) / 10.0, instant(rs, 6), instant(rs, 7), instant(rs, 8), rs.getString(9)));
        }, STALE.toSeconds());
        return progress;
    }

    private static java.time.Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private static String notReplayable(String name) {
        if (name.equals("notifier")) {
            return "it raises faults and queues e-mails, which must never happen twice";
        }
        if (name.equals("audit-chain")) {
            return "rebuilding the hash chain would bless whatever the store holds now";
        }
        return "it is not a rebuildable read model (those are token-inventory, users, credentials, app-config)";
    }

    /** A connection holding the group's replay lock (session-level, so it dies with this instance), or null. */
    private Connection tryLock(String name) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
                lock.setString(1, "projection-replay:" + name);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return connection;
                    }
                }
            }
            connection.close();
            return null;
        } catch (SQLException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("cannot take the replay lock of " + name, e);
        }
    }

    private static void unlock(Connection lock) {
        try (lock; var unlock = lock.createStatement()) {
            unlock.execute("SELECT pg_advisory_unlock_all()");
        } catch (SQLException e) {
            log.warn("Could not release a replay lock; it ends with its connection", e);
        }
    }
}
