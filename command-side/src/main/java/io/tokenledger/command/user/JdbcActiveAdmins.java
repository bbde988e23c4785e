package io.tokenledger.command.user;

import io.tokenledger.api.user.UserId;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The active administrators in the {@code active_admin} table, inside the command's transaction. */
@Component
class JdbcActiveAdmins implements ActiveAdmins {
    private final JdbcTemplate jdbc;

    JdbcActiveAdmins(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(UserId userId) {
        jdbc.update("INSERT INTO active_admin (user_id) VALUES (?) ON CONFLICT DO NOTHING", userId.value());
    }

    @Override
    public boolean removeUnlessLast(UserId userId) {
        // Every row locked, always in the same order (no deadlock between two removals): a concurrent removal waits
        // here until this transaction ends and then reads what it left, a row it deleted no longer returned.
        List<UUID> active = jdbc.queryForList("SELECT user_id FROM active_admin ORDER BY user_id FOR UPDATE",
                UUID.class);
        if (active.stream().allMatch(userId.value()::equals)) {
            return false;
        }
        jdbc.update("DELETE FROM active_admin WHERE user_id = ?", userId.value());
        return true;
    }
}
