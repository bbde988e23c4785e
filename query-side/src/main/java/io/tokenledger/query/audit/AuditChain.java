package io.tokenledger.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
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
@Component
@ProcessingGroup(AuditChain.GROUP)
@DisallowReplay
public class AuditChain {
    static final String GROUP = "audit-chain";
    private static final byte[] GENESIS = new byte[32];
    private static final String HEAD = AuditChain.class.getName() + ".head";
    private static final HexFormat HEX = HexFormat.of();
    /** The columns of a stored event that its link covers: all of them. */
    private static final String EVENT_COLUMNS = "e.global_index, e.event_identifier, e.aggregate_identifier, "
            + "e.sequence_number, e.type, e.time_stamp, e.payload_type, e.payload_revision, e.payload, e.meta_data";
    private static final int VERIFY_FETCH_SIZE = 500;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate cursor;
    private final TransactionTemplate snapshot;

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

    /** The chain's last link; kept for the rest of the processor's batch so a link costs two statements. */
    private record Head(long position, byte[] hash) {
    }

    /** One link about to be stored. */
    private record Link(long globalIndex, byte[] hash) {
    }

    /**
     * Links the event's stored row. The row is looked up by event id, because the tracking token of an event
     * that committed late does not carry its global index. An event already linked is skipped.
     */
    @EventHandler
    void on(EventMessage<?> event) {
        Head head = head();
        Link link = jdbc.query("SELECT " + EVENT_COLUMNS + " FROM domain_event_entry e WHERE e.event_identifier = ?",
                rs -> rs.next() ? new Link(rs.getLong("global_index"), hash(head.hash(), rs)) : null,
                event.getIdentifier());
        if (link == null) {
            // Deleted between being read and being linked: retrying keeps this visible until someone looks.
            throw new IllegalStateException("event " + event.getIdentifier() + " is no longer in the event store");
        }
        int inserted = jdbc.update("""
                INSERT INTO audit_chain (position, global_index, hash) VALUES (?, ?, ?)
                ON CONFLICT (global_index) DO NOTHING""",
                head.position() + 1, link.globalIndex(), HEX.formatHex(link.hash()));
        if (inserted == 1) {
            CurrentUnitOfWork.ifStarted(uow -> uow.root().resources()
                    .put(HEAD, new Head(head.position() + 1, link.hash())));
        }
    }

    private Head head() {
        if (CurrentUnitOfWork.isStarted()) {
            return CurrentUnitOfWork.get().root().getOrComputeResource(HEAD, key -> storedHead());
        }
        return storedHead();
    }

    private Head storedHead() {
        return jdbc.query("SELECT position, hash FROM audit_chain ORDER BY position DESC LIMIT 1",
                rs -> rs.next() ? new Head(rs.getLong("position"), HEX.parseHex(rs.getString("hash")))
                        : new Head(0, GENESIS));
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
                            || !HEX.formatHex(hash(previous, rs)).equals(rs.getString("hash"))) {
                        return new Verification(false, checked, rs.getLong("linked_index"), head);
                    }
                    previous = HEX.parseHex(rs.getString("hash"));
                }
                return new Verification(true, checked, null, head);
            });
        });
    }

    /**
     * The link of one stored event: SHA-256 over the previous hash and the row's canonical form, every column
     * in a fixed order, numbers as 8 bytes big-endian, text as UTF-8 and bytes as they are, each text or bytes
     * value preceded by its length as 4 bytes big-endian (-1 for null) so no two rows encode alike.
     */
    static byte[] hash(byte[] previous, ResultSet row) throws SQLException {
        MessageDigest sha = sha256();
        sha.update(previous);
        number(sha, row.getLong("global_index"));
        bytes(sha, text(row.getString("event_identifier")));
        bytes(sha, text(row.getString("aggregate_identifier")));
        number(sha, row.getLong("sequence_number"));
        bytes(sha, text(row.getString("type")));
        bytes(sha, text(row.getString("time_stamp")));
        bytes(sha, text(row.getString("payload_type")));
        bytes(sha, text(row.getString("payload_revision")));
        bytes(sha, row.getBytes("payload"));
        bytes(sha, row.getBytes("meta_data"));
        return sha.digest();
    }

    private static byte[] text(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static void number(MessageDigest sha, long value) {
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }

    private static void bytes(MessageDigest sha, byte[] value) {
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            sha.update(value);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
