package io.tokenledger.app.security;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.IssueTemporaryToken;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.audit.AuditMetadataConfig;
import io.tokenledger.command.user.PasswordPolicy;
import io.tokenledger.command.user.User;
import io.tokenledger.command.user.UserAccounts;
import io.tokenledger.query.QueryProperties;
import io.tokenledger.query.user.UserQueries;
import io.tokenledger.query.user.UserView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseCookie;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Login sessions, for the REST API and the console alike: a login checks the password (throttled), issues
 * the session's temporary token and gives the {@code tl_session} cookie that carries it; logout revokes it; a
 * change of one's own password checks the current one the same way and ends the other sessions.
 */
@Component
public class Logins {
    private final UserQueries users;
    private final PasswordEncoder passwords;
    private final CommandGateway commands;
    private final LoginThrottle throttle;
    private final IdleSessions idleSessions;
    private final UserAccounts accounts;
    private final QueryProperties properties;
    private final Clock clock;
    private final SecurityEvents securityEvents;
    /** Compared against when the user does not exist, so unknown users take as long as wrong passwords. */
    private final String noSuchUserHash;

    Logins(UserQueries users, PasswordEncoder passwords, CommandGateway commands, LoginThrottle throttle,
           IdleSessions idleSessions, UserAccounts accounts, QueryProperties properties, Clock clock,
           SecurityEvents securityEvents) {
        this.idleSessions = idleSessions;
        this.accounts = accounts;
        this.users = users;
        this.passwords = passwords;
        this.commands = commands;
        this.throttle = throttle;
        this.properties = properties;
        this.clock = clock;
        this.securityEvents = securityEvents;
        this.noSuchUserHash = passwords.encode(TokenSecret.generate(TokenKind.TEMPORARY).reveal());
    }

    /** A started session: the temporary token (its plaintext revealed only through {@link #cookie()}). */
    public record Session(TokenSecret secret, TokenId tokenId, Instant expiresAt, Actor actor, ResponseCookie cookie) {
        @Override
        public String toString() {
            return "Session[tokenId=" + tokenId + "]";
        }
    }

    /**
     * Starts a session.
     *
     * @throws BadCredentialsException         for a wrong password, an unknown or a disabled user (one answer)
     * @throws LoginThrottle.TooManyAttempts if this username, this client or the two together failed too often lately
     */
    public Session login(String username, String password, String client) {
        // counted as a failure before the password is checked, so that concurrent guesses are all counted
        LoginThrottle.Attempt attempt;
        try {
            attempt = throttle.begin(username, client);
        } catch (LoginThrottle.TooManyAttempts refused) {
            securityEvents.lockedOut(username, users.findForLogin(username), refused);
            throw refused;
        }
        Optional<UserView> user = users.findForLogin(username);
        boolean matches = passwords.matches(password, user.map(UserView::passwordHash).orElse(noSuchUserHash));
        if (user.isEmpty() || !matches || !user.get().enabled()) {
            securityEvents.loginFailed(username, user);
            throw new BadCredentialsException("wrong username or password");
        }
        attempt.succeeded();
        UserView u = user.get();
        TokenSecret secret = TokenSecret.generate(TokenKind.TEMPORARY);
        TokenId tokenId = TokenId.random();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Duration lifetime = properties.session().lifetime();
        Instant expiresAt = now.plus(lifetime);
        // Nobody is authenticated yet: the user logging in is the one who acts, from this request's client.
        Map<String, String> audit = new HashMap<>(AuditMetadataConfig.request());
        audit.putAll(AuditMetadataConfig.actor(u.id().toString(), u.username(), u.role().name()));
        try {
            // Refused if the password changed (or the user was disabled) since it was checked above.
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(new IssueTemporaryToken(tokenId,
                            new UserId(u.id()), secret.hash(), secret.hint(), now, expiresAt, u.passwordVersion()))
                    .andMetaData(audit));
        } catch (CommandRejected e) {
            throw new BadCredentialsException("wrong username or password");
        }
        idleSessions.started(tokenId);
        Actor actor = new Actor(new UserId(u.id()), u.username(), u.role(), tokenId, TokenKind.TEMPORARY,
                expiresAt);
        return new Session(secret, tokenId, expiresAt, actor, sessionCookie(secret.reveal(), lifetime));
    }

    /**
     * The caller changes their own password, giving the current one, which is checked (and throttled) as a login's
     * is. Their other login sessions are revoked; the one this request was made in, if any, is kept.
     *
     * @throws CommandRejected               invalid {@code newPassword} when it breaks the rule, invalid
     *                                       {@code currentPassword} when it is wrong
     * @throws LoginThrottle.TooManyAttempts after too many wrong current passwords, as after wrong logins
     */
    public void changeOwnPassword(Actor actor, String currentPassword, String newPassword, String client) {
        // The rule first: a weak new password is no guess of the current one and is not counted.
        PasswordPolicy.require("newPassword", newPassword, actor.username());
        LoginThrottle.Attempt attempt = throttle.begin(actor.username(), client);
        UserView user = users.findForPasswordCheck(actor.userId())
                .orElseThrow(() -> CommandRejected.notFound("no user " + actor.userId()));
        if (!passwords.matches(currentPassword, user.passwordHash())) {
            throw CommandRejected.invalid("currentPassword", User.CURRENT_PASSWORD_WRONG);
        }
        attempt.succeeded();
        accounts.changeOwnPassword(actor.userId(), user.username(), user.passwordHash(), newPassword,
                actor.tokenKind() == TokenKind.TEMPORARY ? actor.tokenId() : null);
    }

    /** Ends the caller's session: revokes its temporary token; returns the cookie that clears {@code tl_session}. */
    public ResponseCookie logout(Actor actor) {
        if (actor.tokenKind() == TokenKind.TEMPORARY) {
            commands.sendAndWait(new RevokeToken(actor.tokenId(), actor, RevokeToken.LOGOUT));
        }
        return clearedCookie();
    }

    /** The cookie that removes {@code tl_session} from the browser. */
    public ResponseCookie clearedCookie() {
        return sessionCookie("", Duration.ZERO);
    }

    /** The secret of the temporary token this request was authenticated with, if it was a login session's. */
    public static Optional<TokenSecret> sessionSecret() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof TokenAuthentication auth
                && auth.getPrincipal().tokenKind() == TokenKind.TEMPORARY) {
            return Optional.ofNullable(auth.getCredentials());
        }
        return Optional.empty();
    }

    private ResponseCookie sessionCookie(String value, Duration maxAge) {
        return ResponseCookie.from(TokenAuthenticationFilter.SESSION_COOKIE, value)
                .httpOnly(true)
                .secure(properties.session().secureCookie())
                .sameSite("Strict")
                .path("/")
                .maxAge(maxAge)
                .build();
    }
}
