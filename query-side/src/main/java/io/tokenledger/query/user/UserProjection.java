package io.tokenledger.query.user;

import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserPasswordChanged;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.api.user.UserRoleChanged;
import static io.tokenledger.query.replay.ProjectionWrites.key;

import io.tokenledger.query.replay.ProjectionWrites;
import io.tokenledger.query.replay.ReplayableProjection;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code user_view} in step with the User events. A row changes only for a newer event of its user (the
 * row's {@code version} is the user's last applied sequence number), so an event applied again changes nothing.
 */
@Component
@ProcessingGroup(UserProjection.GROUP)
class UserProjection implements ReplayableProjection {
    static final String GROUP = "users";

    private static final String REGISTER = """
            INSERT INTO {user_view} (id, username, email, display_name, role, enabled, password_hash, created_at,
                                     updated_at, version)
            VALUES (?, ?, ?, ?, ?, true, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING""";
    private static final String ROLE =
            "UPDATE {user_view} SET role = ?, updated_at = ?, version = ? WHERE id = ? AND version < ?";
    private static final String ENABLED =
            "UPDATE {user_view} SET enabled = ?, updated_at = ?, version = ? WHERE id = ? AND version < ?";
    private static final String PASSWORD =
            "UPDATE {user_view} SET password_hash = ?, updated_at = ?, version = ? WHERE id = ? AND version < ?";

    private final JdbcTemplate jdbc;
    private final ProjectionWrites live;

    UserProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.live = ProjectionWrites.live(jdbc);
    }

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("user_view");
    }

    @Override
    public void apply(EventMessage<?> message, ProjectionWrites writes) {
        Object payload = message.getPayload();
        Timestamp at = Timestamp.from(message.getTimestamp());
        long version = ((DomainEventMessage<?>) message).getSequenceNumber();
        if (payload instanceof UserRegistered event) {
            writes.update(REGISTER, key(event.userId().value()), event.username(), event.email(), event.displayName(),
                    event.role().name(), event.passwordHash(), at, at, version);
        } else if (payload instanceof UserRoleChanged event) {
            change(writes, ROLE, event.to().name(), at, version, event.userId().value());
        } else if (payload instanceof UserDisabled event) {
            change(writes, ENABLED, false, at, version, event.userId().value());
        } else if (payload instanceof UserEnabled event) {
            change(writes, ENABLED, true, at, version, event.userId().value());
        } else if (payload instanceof UserPasswordChanged event) {
            change(writes, PASSWORD, event.passwordHash(), at, version, event.userId().value());
        } else {
            throw new IllegalArgumentException(GROUP + " has no rule for " + message.getPayloadType().getName());
        }
    }

    @EventHandler
    void on(UserRegistered event, EventMessage<?> message) {
        apply(message, live);
    }

    @EventHandler
    void on(UserRoleChanged event, EventMessage<?> message) {
        apply(message, live);
    }

    @EventHandler
    void on(UserDisabled event, EventMessage<?> message) {
        apply(message, live);
    }

    @EventHandler
    void on(UserEnabled event, EventMessage<?> message) {
        apply(message, live);
    }

    @EventHandler
    void on(UserPasswordChanged event, EventMessage<?> message) {
        apply(message, live);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE user_view");
    }

    private static void change(ProjectionWrites writes, String sql, Object value, Timestamp at, long version, UUID id) {
        writes.update(sql, value, at, version, key(id), version);
    }
}
