package io.tokenledger.command.token;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.user.UserId;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who may own a new token: an existing, enabled user. One primary-key read of the credentials read model, which
 * is written in the transaction of every user command and so is as current as the user's own stream.
 */
@Component
class TokenOwners {
    private final JdbcTemplate jdbc;

    TokenOwners(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @throws CommandRejected not found for an unknown user, conflict for a disabled one
     */
    void requireEnabled(UserId owner) {
        record Owner(String username, boolean enabled) {
        }
        List<Owner> found = jdbc.query("SELECT username, enabled FROM credential_user WHERE user_id = ?",
                (rs, row) -> new Owner(rs.getString(1), rs.getBoolean(2)), owner.value());
        if (found.isEmpty()) {
            throw CommandRejected.notFound("no user " + owner);
        }
        if (!found.get(0).enabled()) {
            throw CommandRejected.conflict("user '" + found.get(0).username() + "' is disabled");
        }
    }
}
