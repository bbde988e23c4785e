package io.tokenledger.query.client;

import io.tokenledger.api.PageResult;
import io.tokenledger.api.client.ClientId;
import io.tokenledger.api.client.ClientSecret;
import io.tokenledger.api.client.ClientStatus;
import io.tokenledger.api.client.ClientView;
import io.tokenledger.api.client.FindClient;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads of the registered clients, and the authentication of a client by its id and secret. */
@Component
public class ClientQueries {
    /** The processing group of the projection these queries read. */
    public static final String PROJECTION = "clients";
    private static final String VIEW = """
            SELECT c.id, c.client_id, c.name, c.hint, c.created_at, c.created_by, u.last_used_at, c.enabled
            FROM client_view c LEFT JOIN client_usage u ON u.client_id = c.id""";
    /**
     * A hash to compare with when the client id is unknown, so that an unknown id costs what a known one does and
     * the answer's time tells nothing.
     */
    private static final byte[] NO_HASH = new byte[64];

    private final JdbcTemplate jdbc;

    ClientQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An authenticated client: its registration's id and its public client id. */
    public record AuthenticatedClient(ClientId id, String clientId) {
    }

    /**
     * The enabled client with this client id whose secret this is; empty for an unknown or disabled client, a
     * malformed secret or a wrong one.
     */
    public Optional<AuthenticatedClient> authenticate(String clientId, String secret) {
        if (clientId == null || secret == null || clientId.length() > 100) {
            return Optional.empty();
        }
        boolean wellFormed = ClientSecret.isWellFormed(secret);
        record Row(UUID id, String hash, boolean enabled) {
        }
        List<Row> rows = jdbc.query("SELECT id, secret_hash, enabled FROM client_view WHERE client_id = ?",
                (rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3)), clientId);
        byte[] stored = rows.isEmpty() ? NO_HASH : rows.get(0).hash().getBytes(StandardCharsets.US_ASCII);
        byte[] presented = (wellFormed ? ClientSecret.hashOf(secret).hex() : "")
                .getBytes(StandardCharsets.US_ASCII);
        boolean matches = MessageDigest.isEqual(stored, presented);
        if (!wellFormed || rows.isEmpty() || !matches || !rows.get(0).enabled()) {
            return Optional.empty();
        }
        return Optional.of(new AuthenticatedClient(new ClientId(rows.get(0).id()), clientId));
    }

    /** A page of clients, newest first. */
    public PageResult<ClientView> list(int page, int size) {
        Long total = jdbc.queryForObject("SELECT count(*) FROM client_view", Long.class);
        List<ClientView> items = jdbc.query(VIEW + " ORDER BY c.created_at DESC, c.id LIMIT ? OFFSET ?",
                ClientQueries::map, size, (long) page * size);
        return new PageResult<>(items, page, size, total == null ? 0 : total);
    }

    @QueryHandler
    public Optional<ClientView> find(FindClient query) {
        return jdbc.query(VIEW + " WHERE c.id = ?", ClientQueries::map, query.id().value()).stream().findFirst();
    }

    private static ClientView map(ResultSet rs, int row) throws SQLException {
        return new ClientView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                instant(rs.getTimestamp(5)), rs.getString(6), instant(rs.getTimestamp(7)),
                rs.getBoolean(8) ? ClientStatus.ENABLED : ClientStatus.DISABLED);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
