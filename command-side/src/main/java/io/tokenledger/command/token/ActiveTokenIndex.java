package io.tokenledger.command.token;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserPasswordChanged;
import io.tokenledger.command.CommandRole;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The command side's own index of active tokens per user, with their scopes (a scope an active token carries is
 * not deleted). It revokes every token of a disabled user
 * (reason USER_DISABLED), every login session of a user whose password changed but the one the user changed it in
 * (reason PASSWORD_CHANGED), and frees the name of an expired token. A subscribing processor: it runs in the
 * transaction of the command that published the event, and so do the revocations it sends.
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
        add(event.tokenId(), event.ownerId().value(), TokenKind.PERMANENT, event.scopes(), event.createdAt());
    }

    @EventHandler
    void on(TemporaryTokenIssued event) {
        add(event.tokenId(), event.userId().value(), TokenKind.TEMPORARY, Scopes.DEFAULT, event.issuedAt());
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

    /**
     * Revokes every active token of the disabled user. The user's row of credentials is locked first: a token being
     * created or a session being issued for the user holds it shared ({@link TokenOwners}), so either it was
     * committed before and is found here, or it waits for this transaction and is then refused.
     */
    @EventHandler
    @DisallowReplay
    void on(UserDisabled event) {
        lockUser(event.userId().value());
        List<UUID> active = jdbc.queryForList("SELECT token_id FROM active_token_of_user WHERE user_id = ?",
                UUID.class, event.userId().value());
        for (UUID tokenId : active) {
            commands.sendAndWait(new RevokeToken(new TokenId(tokenId), null, RevokeToken.USER_DISABLED));
        }
    }

    /**
     * Ends the user's other login sessions. First the user's row of credentials is locked: a login that checked the
     * old password and is issuing its session's token holds it shared ({@link TokenOwners#requireLogin}), so either
     * that token was committed before and is found here, or its issue waits for this transaction and then finds the
     * password changed and is refused. No session opened with the old password survives the change.
     */
    @EventHandler
    @DisallowReplay
    void on(UserPasswordChanged event) {
        lockUser(event.userId().value());
        UUID kept = event.keptSession() == null ? null : event.keptSession().value();
        List<UUID> sessions = jdbc.queryForList("""
                SELECT token_id FROM active_token_of_user WHERE user_id = ? AND kind = 'TEMPORARY'
                ORDER BY token_id""", UUID.class, event.userId().value());
        for (UUID tokenId : sessions) {
            if (!tokenId.equals(kept)) {
                commands.sendAndWait(new RevokeToken(new TokenId(tokenId), null, RevokeToken.PASSWORD_CHANGED));
            }
        }
    }

    private void lockUser(UUID userId) {
        jdbc.query("SELECT user_id FROM credential_user WHERE user_id = ? FOR UPDATE", (rs, row) -> null, userId);
    }

    private void add(TokenId tokenId, UUID userId, TokenKind kind, List<String> scopes, Instant createdAt) {
        jdbc.update("""
                INSERT INTO active_token_of_user (token_id, user_id, kind, scopes, created_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""",
                tokenId.value(), userId, kind.name(), scopes.toArray(String[]::new), Timestamp.from(createdAt));
    }
}
