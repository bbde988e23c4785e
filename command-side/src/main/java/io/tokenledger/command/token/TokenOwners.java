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
     * A login may open its session: the user is enabled and the password it checked is still the user's. The row is
     * read under a shared lock, which a password change takes exclusively before it revokes the user's sessions
     * ({@code ActiveTokenIndex}): a change either waits for this session to be committed and then revokes it, or
     * commits first and this reads the new password version.
     *
     * @throws CommandRejected conflict when the user is unknown, disabled, or changed their password meanwhile
     */
    void requireLogin(UserId user, long passwordVersion) {
        record Row(boolean enabled, long passwordVersion) {
        }
        List<Row> found = jdbc.query(
                "SELECT enabled, password_version FROM credential_user WHERE user_id = ? FOR SHARE",
                (rs, row) -> new Row(rs.getBoolean(1), rs.getLong(2)), user.value());
        if (found.isEmpty() || !found.get(0).enabled() || found.get(0).passwordVersion() != passwordVersion) {
            throw CommandRejected.conflict("the user's password or status changed since the login checked it");
        }
    }

    /**
     * The owner of a new token exists and is enabled. The row is read under a shared lock, which disabling the user
     * holds exclusively until it has revoked the user's tokens: a creation either waits for the disabling and is
     * refused, or commits first and has its token revoked by it.
     *
     * @throws CommandRejected not found for an unknown user, conflict for a disabled one
     */
    void requireEnabled(UserId owner) {
        record Owner(String username, boolean enabled) {
        }
        List<Owner> found = jdbc.query("SELECT username, enabled FROM credential_user WHERE user_id = ? FOR SHARE",
                (rs, row) -> new Owner(rs.getString(1), rs.getBoolean(2)), owner.value());
        if (found.isEmpty()) {
            throw CommandRejected.notFound("no user " + owner);
        }
        if (!found.get(0).enabled()) {
            throw CommandRejected.conflict("user '" + found.get(0).username() + "' is disabled");
        }
    }
}
