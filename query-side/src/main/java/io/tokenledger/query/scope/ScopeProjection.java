package io.tokenledger.query.scope;

import static io.tokenledger.query.replay.ProjectionWrites.key;

import io.tokenledger.api.scope.ScopeDeleted;
import io.tokenledger.api.scope.ScopeRegistered;
import io.tokenledger.query.replay.ProjectionWrites;
import io.tokenledger.query.replay.ReplayableProjection;
import java.sql.Timestamp;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * The registered platform scopes. A row changes only for a newer event of its scope ({@code version}); a deleted
 * scope keeps its row, marked, so an older registration applied again cannot bring it back.
 */
@Component
@ProcessingGroup(ScopeProjection.GROUP)
class ScopeProjection implements ReplayableProjection {
    static final String GROUP = ScopeQueries.PROJECTION;

    private static final String REGISTER = """
            INSERT INTO {scope_view} (name, description, created_at, created_by, deleted, version)
            VALUES (?, ?, ?, ?, false, ?)
            ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, created_at = EXCLUDED.created_at,
                created_by = EXCLUDED.created_by, deleted = false, version = EXCLUDED.version
            WHERE {scope_view}.version < EXCLUDED.version""";
    private static final String DELETE =
            "UPDATE {scope_view} SET deleted = true, version = ? WHERE name = ? AND version < ?";

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("scope_view");
    }

    @EventHandler
    void on(ScopeRegistered event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(REGISTER, key(event.name()), event.description(), Timestamp.from(event.registeredAt()),
                event.registeredBy() == null ? null : event.registeredBy().value(), version);
    }

    @EventHandler
    void on(ScopeDeleted event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(DELETE, version, key(event.name()), version);
    }
}
