package io.tokenledger.command.user;

import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.Usernames;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Username claims in the {@code username_claim} table, by canonical form, inside the command's transaction. */
@Component
class JdbcUsernameClaims implements UsernameClaims {
    private final JdbcTemplate jdbc;

    JdbcUsernameClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean claim(String username, UserId userId) {
        int inserted = jdbc.update("""
                INSERT INTO username_claim (username_key, user_id) VALUES (?, ?)
                ON CONFLICT (username_key) DO NOTHING""",
                Usernames.canonical(username), userId.value());
        return inserted == 1;
    }
}
