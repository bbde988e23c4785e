package io.tokenledger.query.user;

import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserPasswordChanged;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.api.user.UserRoleChanged;
import io.tokenledger.api.user.Usernames;
import static io.tokenledger.query.replay.ProjectionWrites.key;

import io.tokenledger.query.replay.ProjectionWrites;
import io.tokenledger.query.replay.ReplayableProjection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
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
            INSERT INTO {user_view} (id, username, username_key, email, display_name, role, enabled, password_hash,
                                     password_version, password_change_required, created_at, updated_at, version,
                                     kind)
            VALUES (?, ?, ?, ?, ?, ?, true, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING""";
    private static final String ROLE =
            "UPDATE {user_view} SET role = ?, updated_at = ?, version = ? WHERE id = ? AND version < ?";
    private static final String ENABLED =
            "UPDATE {user_view} SET enabled = ?, updated_at = ?, version = ? WHERE id = ? AND version < ?";
    private static final String PASSWORD = """
            UPDATE {user_view} SET password_hash = ?, password_version = ?, password_change_required = false,
                                   updated_at = ?, version = ?
            WHERE id = ? AND version < ?""";

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("user_view");
    }

    @EventHandler
    void on(UserRegistered event, @Timestamp Instant at, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(REGISTER, key(event.userId().value()), event.username(), Usernames.canonical(event.username()),
                event.email(), event.displayName(), event.role().name(), event.passwordHash(), version,
                event.passwordChangeRequired(), java.sql.Timestamp.from(at), java.sql.Timestamp.from(at), version,
                event.kind().name());
    }

    @EventHandler
    void on(UserRoleChanged event, @Timestamp Instant at, @SequenceNumber long version, ProjectionWrites writes) {
        change(writes, ROLE, event.to().name(), at, version, event.userId().value());
    }

    @EventHandler
    void on(UserDisabled event, @Timestamp Instant at, @SequenceNumber long version, ProjectionWrites writes) {
        change(writes, ENABLED, false, at, version, event.userId().value());
    }

    @EventHandler
    void on(UserEnabled event, @Timestamp Instant at, @SequenceNumber long version, ProjectionWrites writes) {
        change(writes, ENABLED, true, at, version, event.userId().value());
    }

    @EventHandler
    void on(UserPasswordChanged event, @Timestamp Instant at, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(PASSWORD, event.passwordHash(), version, java.sql.Timestamp.from(at), version,
                key(event.userId().value()), version);
    }

    private static void change(ProjectionWrites writes, String sql, Object value, Instant at, long version, UUID id) {
        writes.update(sql, value, java.sql.Timestamp.from(at), version, key(id), version);
    }
}
