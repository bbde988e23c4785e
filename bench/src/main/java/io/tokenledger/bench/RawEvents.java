package io.tokenledger.bench;

import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The raw limits of the event table on the application's own PostgreSQL, which the scenarios compare with:
 * one-row insert transactions of a stored event row, and a scan of every stored event.
 */
final class RawEvents {

    /** The columns of a stored event that a copy repeats. */
    record Template(String type, String timeStamp, String payloadType, String payloadRevision, byte[] payload,
                    byte[] metaData) {
    }

    /** What a scan read: rows, bytes of payload and metadata, and the time it took. */
    record Scan(long rows, long bytes, double seconds) {
        double perSecond() {
            return rows / seconds;
        }
    }

    private RawEvents() {
    }

    /** The newest stored event whose payload type is like the pattern, as the template of raw inserts. */
    static Template template(Context c, String payloadType) throws Exception {
        try (Connection db = c.database(); PreparedStatement select = db.prepareStatement("""
                SELECT type, time_stamp, payload_type, payload_revision, payload, meta_data FROM domain_event_entry
                WHERE payload_type LIKE ? ORDER BY global_index DESC LIMIT 1""")) {
            select.setString(1, payloadType);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no stored event like " + payloadType);
                }
                return new Template(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBytes(5), rs.getBytes(6));
            }
        }
    }

    /**
     * Single-row insert transactions (autocommit) of the template row from {@code clients} connections, into a
     * new table shaped like the event store (same columns, keys and indexes), dropped afterwards.
     */
    /**
     * The raw limit of a credential lookup: the application's own read of a token by its hash (an unknown one, so it
     * misses as a refused token's does), as a prepared statement on {@code clients} connections of its own.
     */
    static Load.Stats selectsByHash(Context c, int clients) throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                connections.add(c.database());
            }
            return Load.run(clients, c.warmUp(), c.measured(), i -> {
                try {
                    PreparedStatement select = connections.get(i).prepareStatement("""
                            SELECT c.token_id, c.kind, c.user_id, u.username, u.role, u.enabled, c.status, c.expires_at,
                                   c.scopes, c.created_at, c.grace_ends_at
                            FROM credential c JOIN credential_user u ON u.user_id = c.user_id
                            WHERE c.token_hash = ?""");
                    return () -> {
                        select.setString(1, TokenSecret.generate(TokenKind.PERMANENT).hash().hex());
                        try (ResultSet rs = select.executeQuery()) {
                            return !rs.next();
                        }
                    };
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    static Load.Stats inserts(Context c, int clients, Template template) throws Exception {
        return inserts(c, clients, template, new long[1]);
    }

    /** The same, with the PostgreSQL CPU time the inserts took (ms) left in {@code postgresCpu[0]}. */
    static Load.Stats inserts(Context c, int clients, Template template, long[] postgresCpu) throws Exception {
        try (Connection db = c.database(); Statement ddl = db.createStatement()) {
            ddl.execute("DROP TABLE IF EXISTS bench_raw_event");
            ddl.execute("DROP SEQUENCE IF EXISTS bench_raw_event_seq");
            ddl.execute("CREATE TABLE bench_raw_event (LIKE domain_event_entry INCLUDING ALL EXCLUDING DEFAULTS)");
            ddl.execute("CREATE SEQUENCE bench_raw_event_seq OWNED BY bench_raw_event.global_index");
            ddl.execute("ALTER TABLE bench_raw_event ALTER global_index SET DEFAULT nextval('bench_raw_event_seq')");
            try {
                return inserting(c, clients, template, postgresCpu);
            } finally {
                ddl.execute("DROP TABLE bench_raw_event");
            }
        }
    }

    private static Load.Stats inserting(Context c, int clients, Template template, long[] postgresCpu)
            throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                connections.add(c.database());
            }
            long before = c.server.postgresCpuMillis();
            Load.Stats stats = Load.run(clients, c.warmUp(), c.measured(), i -> {
                try {
                    PreparedStatement insert = connections.get(i).prepareStatement("""
                            INSERT INTO bench_raw_event (event_identifier, aggregate_identifier, sequence_number, type,
                                time_stamp, payload_type, payload_revision, payload, meta_data)
                            VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)""");
                    return () -> {
                        insert.setString(1, UUID.randomUUID().toString());
                        insert.setString(2, UUID.randomUUID().toString());
                        insert.setString(3, template.type());
                        insert.setString(4, template.timeStamp());
                        insert.setString(5, template.payloadType());
                        insert.setString(6, template.payloadRevision());
                        insert.setBytes(7, template.payload());
                        insert.setBytes(8, template.metaData());
                        return insert.executeUpdate() == 1;
                    };
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            postgresCpu[0] = c.server.postgresCpuMillis() - before;
            return stats;
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    /**
     * Reads every column of every stored event in the order of the store, as a reader of the event stream must:
     * one query, streamed by the driver (autocommit off, fetch size 1 000), each value taken out of its row.
     */
    static Scan scan(Context c) throws Exception {
        try (Connection db = c.database()) {
            db.setAutoCommit(false);
            try (Statement select = db.createStatement()) {
                select.setFetchSize(1_000);
                long start = System.nanoTime();
                long rows = 0;
                long bytes = 0;
                try (ResultSet rs = select.executeQuery("""
                        SELECT global_index, event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                               payload_type, payload_revision, payload, meta_data
                        FROM domain_event_entry ORDER BY global_index""")) {
                    while (rs.next()) {
                        rows++;
                        rs.getLong(1);
                        bytes += Long.BYTES + text(rs.getString(2)) + text(rs.getString(3));
                        rs.getLong(4);
                        bytes += Long.BYTES + text(rs.getString(5)) + text(rs.getString(6)) + text(rs.getString(7))
                                + text(rs.getString(8)) + binary(rs.getBytes(9)) + binary(rs.getBytes(10));
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                db.commit();
                return new Scan(rows, bytes, seconds);
            }
        }
    }

    private static long text(String value) {
        return value == null ? 0 : value.length();
    }

    private static long binary(byte[] value) {
        return value == null ? 0 : value.length;
    }
}
