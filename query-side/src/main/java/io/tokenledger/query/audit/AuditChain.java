package io.tokenledger.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokenledger.query.QueryRole;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tamper evidence for the event store: a hash chain over the stored event rows in the order this processor
 * sees them (one segment, one thread). Link n is {@code SHA-256(hash(n-1) || canonical form of row n)}, the
 * first one following 32 zero bytes; {@link #verify()} recomputes it from the rows as they are now.
 *
 * <p>The chain is never reset and never replayed ({@link DisallowReplay}, so Axon refuses a reset of its
 * processor): it is evidence of what the store held when each event was first seen, and rebuilding it from a
 * store that was tampered with would bless the tampering. A processor without a stored token starts at the
 * tail, so a chain started on an existing store still covers all of its history.
 */
@QueryRole
@Component
@ProcessingGroup(AuditChain.GROUP)
@DisallowReplay
public class AuditChain {
    static final String GROUP = "audit-chain";
    private static final byte[] GENESIS = new byte[32];
    private static final HexFormat HEX = HexFormat.of();
    private static final String PENDING = AuditChain.class.getName() + ".pending";
    /** The columns of a stored event that its link covers: all of them. */
    private static final String EVENT_COLUMNS = "e.global_index, e.event_identifier, e.aggregate_identifier, "
            + "e.sequence_number, e.type, e.time_stamp, e.payload_type, e.payload_revision, e.payload, e.meta_data";
    private static final int VERIFY_FETCH_SIZE = 500;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate cursor;
    private final TransactionTemplate snapshot;
    /**
     * The last link this instance committed, so that a batch need not read it back; forgotten when a batch rolls
     * back. Only the processor's one segment appends, so it is the chain's head unless another instance held the
     * segment meanwhile, whose links then take the positions this one would write: the insert fails on the key, the
     * batch rolls back, and it is retried from the head as stored.
     */
    private volatile Head committed;

    AuditChain(JdbcTemplate jdbc, DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.cursor = new JdbcTemplate(dataSource);
        this.cursor.setFetchSize(VERIFY_FETCH_SIZE);
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        // The head hash and the links are read from one snapshot while the processor keeps appending.
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /**
     * The outcome of a verification.
     *
     * @param checkedEvents          links recomputed, up to and including the first broken one
     * @param firstBrokenGlobalIndex global index of the first event whose link does not match (changed, deleted or
     *                               moved), absent when the chain is intact
     * @param headHash               the hash of the chain's last link as stored, null while the chain is empty
     */
    public record Verification(boolean verified, long checkedEvents,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Long firstBrokenGlobalIndex,
                               String headHash) {
    }

    /** The chain's last link. */
    private record Head(long position, byte[] hash) {
    }

    /** An event row as its link needs it. */
    private record Stored(long globalIndex, byte[] canonical, boolean linked) {
    }

    /** Collects the processor batch's events; they are linked together when the batch commits. */
    @EventHandler
    void on(EventMessage<?> event) {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        batch.<List<String>>getOrComputeResource(PENDING, key -> {
            List<String> eventIds = new ArrayList<>();
            batch.onPrepareCommit(u -> link(eventIds));
            return eventIds;
        }).add(event.getIdentifier());
    }

    /**
     * Links a batch of events in the order they were handled, in the batch's transaction, just before it commits
     * with the processor's token: two statements per batch (the rows, the links; the head is remembered from the
     * batch before) rather than two per event, as one thread links every event there is. Rows are looked up by
     * event id because the tracking token of an event that committed late does not carry its global index. An
     * event already linked is skipped; one that another instance linked meanwhile makes the insert fail, and the
     * batch is retried.
     */
    private void link(List<String> eventIds) {
        Map<String, Stored> rows = new HashMap<>();
        jdbc.query("SELECT " + EVENT_COLUMNS + """
                        , c.global_index IS NOT NULL AS linked
                        FROM domain_event_entry e LEFT JOIN audit_chain c ON c.global_index = e.global_index
                        WHERE e.event_identifier = ANY (?)""",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("varchar", eventIds.toArray())),
                (RowCallbackHandler) rs -> rows.put(rs.getString("event_identifier"),
                        new Stored(rs.getLong("global_index"), canonical(rs), rs.getBoolean("linked"))));
        Head head = committed;
        if (head == null) {
            head = jdbc.query("SELECT position, hash FROM audit_chain ORDER BY position DESC LIMIT 1",
                    rs -> rs.next() ? new Head(rs.getLong("position"), HEX.parseHex(rs.getString("hash")))
                            : new Head(0, GENESIS));
        }
        long position = head.position();
        byte[] previous = head.hash();
        List<Object[]> links = new ArrayList<>();
        for (String eventId : eventIds) {
            Stored row = rows.get(eventId);
            if (row == null) {
                // Deleted between being read and being linked: retrying keeps this visible until someone looks.
                throw new IllegalStateException("event " + eventId + " is no longer in the event store");
            }
            if (!row.linked()) {
                previous = hash(previous, row.canonical());
                links.add(new Object[] {++position, row.globalIndex(), HEX.formatHex(previous)});
            }
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        batch.onRollback(u -> committed = null);
        jdbc.batchUpdate("INSERT INTO audit_chain (position, global_index, hash) VALUES (?, ?, ?)", links);
        Head linked = new Head(position, previous);
        batch.afterCommit(u -> committed = linked);
    }

    /**
     * Recomputes every link from the stored rows, in chain order, reading both through a cursor, and stops at
     * the first link that does not match: its event was changed, deleted or given another global index, or a
     * link before it was removed. Events not linked yet are not checked.
     */
    public Verification verify() {
        return snapshot.execute(status -> {
            String head = jdbc.query("SELECT hash FROM audit_chain ORDER BY position DESC LIMIT 1",
                    rs -> rs.next() ? rs.getString("hash") : null);
            return cursor.query("SELECT c.position, c.global_index AS linked_index, c.hash, " + EVENT_COLUMNS + """
                     FROM audit_chain c LEFT JOIN domain_event_entry e ON e.global_index = c.global_index
                    ORDER BY c.position""", rs -> {
                byte[] previous = GENESIS;
                long checked = 0;
                while (rs.next()) {
                    checked++;
                    boolean present = rs.getObject("global_index") != null;
                    if (rs.getLong("position") != checked || !present
                            || !HEX.formatHex(hash(previous, canonical(rs))).equals(rs.getString("hash"))) {
                        return new Verification(false, checked, rs.getLong("linked_index"), head);
                    }
                    previous = HEX.parseHex(rs.getString("hash"));
                }
                return new Verification(true, checked, null, head);
            });
        });
    }

    private static byte[] hash(byte[] previous, byte[] canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            return sha.digest(canonical);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The canonical form of a stored event: every column in a fixed order, numbers as 8 bytes big-endian, text as
     * UTF-8 and bytes as stored, each text or bytes value preceded by its length as 4 bytes big-endian (-1 for
     * null), so no two different rows have the same form.
     */
    static byte[] canonical(ResultSet row) throws SQLException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(row.getLong("global_index"));
            value(out, text(row.getString("event_identifier")));
            value(out, text(row.getString("aggregate_identifier")));
            out.writeLong(row.getLong("sequence_number"));
            value(out, text(row.getString("type")));
            value(out, text(row.getString("time_stamp")));
            value(out, text(row.getString("payload_type")));
            value(out, text(row.getString("payload_revision")));
            value(out, row.getBytes("payload"));
            value(out, row.getBytes("meta_data"));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static byte[] text(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static void value(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value == null ? -1 : value.length);
        if (value != null) {
            out.write(value);
        }
    }
}
