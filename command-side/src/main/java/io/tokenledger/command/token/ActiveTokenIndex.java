package io.tokenledger.command.token;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.command.CommandRole;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The command side's own index of active tokens per user. It revokes every token of a disabled user
 * (reason USER_DISABLED) and frees the name of an expired token. One segment, so it sees a user's token
 * creations and their disabling in the order they happened.
 */
@CommandRole
@Component
@ProcessingGroup(ActiveTokenIndex.GROUP)
class ActiveTokenIndex {
    static final String GROUP = "active-tokens";

    private final JdbcTemplate jdbc;
    private final TokenNameClaims names;
    private final CommandGateway commands;

    ActiveTokenIndex(JdbcTemplate jdbc, TokenNameClaims names, CommandGateway commands) {
        this.jdbc = jdbc;
        this.names = names;
        this.commands = commands;
    }

    @EventHandler
    void on(PermanentTokenCreated event) {
        add(event.tokenId(), event.ownerId().value());
    }

    @EventHandler
    void on(TemporaryTokenIssued event) {
        add(event.tokenId(), event.userId().value());
    }

    @EventHandler
    void on(TokenRevoked event) {
        jdbc.update("DELETE FROM active_token_of_user WHERE token_id = ?", event.tokenId().value());
    }

    @EventHandler
    void on(TokenExpired event) {
        jdbc.update("DELETE FROM active_token_of_user WHERE token_id = ?", event.tokenId().value());
        names.release(event.tokenId());
    }

    @EventHandler
    @DisallowReplay
    void on(UserDisabled event) {
        List<UUID> active = jdbc.queryForList("SELECT token_id FROM active_token_of_user WHERE user_id = ?",
                UUID.class, event.userId().value());
        for (UUID tokenId : active) {
            commands.sendAndWait(new RevokeToken(new TokenId(tokenId), null, RevokeToken.USER_DISABLED));
        }
    }

    private void add(TokenId tokenId, UUID userId) {
        jdbc.update("INSERT INTO active_token_of_user (token_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                tokenId.value(), userId);
    }
}
