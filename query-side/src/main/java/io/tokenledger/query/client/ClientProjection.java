package io.tokenledger.query.client;

import static io.tokenledger.query.replay.ProjectionWrites.key;

import io.tokenledger.api.client.ClientDisabled;
import io.tokenledger.api.client.ClientEnabled;
import io.tokenledger.api.client.ClientRegistered;
import io.tokenledger.api.client.ClientSecretRotated;
import io.tokenledger.query.replay.ProjectionWrites;
import io.tokenledger.query.replay.ReplayableProjection;
import java.sql.Timestamp;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * The registered clients, with the hash of each one's secret for authenticating it. A row changes only for a newer
 * event of its client ({@code version}). Every instance reads the row at each authentication, so a rotation or a
 * disable takes effect everywhere as it commits.
 */
@Component
@ProcessingGroup(ClientProjection.GROUP)
class ClientProjection implements ReplayableProjection {
    static final String GROUP = ClientQueries.PROJECTION;

    private static final String REGISTER = """
            INSERT INTO {client_view} (id, client_id, name, secret_hash, hint, created_at, created_by, enabled, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, true, ?)
            ON CONFLICT (id) DO NOTHING""";
    private static final String ROTATE =
            "UPDATE {client_view} SET secret_hash = ?, hint = ?, version = ? WHERE id = ? AND version < ?";
    private static final String ENABLED = "UPDATE {client_view} SET enabled = ?, version = ? WHERE id = ? AND version < ?";

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("client_view");
    }

    @EventHandler
    void on(ClientRegistered event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(REGISTER, key(event.id().value()), event.clientId(), event.name(), event.hash().hex(),
                event.hint(), Timestamp.from(event.registeredAt()),
                event.registeredBy() == null ? null : event.registeredBy().value(), version);
    }

    @EventHandler
    void on(ClientSecretRotated event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(ROTATE, event.hash().hex(), event.hint(), version, key(event.id().value()), version);
    }

    @EventHandler
    void on(ClientDisabled event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(ENABLED, false, version, key(event.id().value()), version);
    }

    @EventHandler
    void on(ClientEnabled event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(ENABLED, true, version, key(event.id().value()), version);
    }
}
