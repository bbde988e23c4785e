package io.tokenledger.command.token;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.DescribeToken;
import io.tokenledger.api.token.FindToken;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.RotateToken;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenLabels;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.token.TokenState;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/**
 * Creating, rotating and revoking permanent tokens, shared by the REST API and the web console: the secret
 * is generated here, outside the aggregate, and handed back exactly once.
 */
@Component
public class PermanentTokens {
    private final CommandGateway commands;
    private final QueryGateway queries;

    PermanentTokens(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /**
     * Creates a permanent token for an enabled user.
     *
     * @param expiresAt {@code YYYY-MM-DD} (00:00 UTC), an ISO instant, or null/blank for the default lifetime
     */
    public CreatedToken create(UserId owner, String name, String expiresAt, Actor actor) {
        return create(owner, name, expiresAt, null, actor);
    }

    /**
     * Creates a permanent token carrying these scopes (null: {@link Scopes#DEFAULT}), each built in or registered.
     */
    public CreatedToken create(UserId owner, String name, String expiresAt, List<String> scopes, Actor actor) {
        return create(owner, name, expiresAt, scopes, null, null, actor);
    }

    /** Creates a permanent token with these scopes and, optionally, a description and tags ({@link TokenLabels}). */
    public CreatedToken create(UserId owner, String name, String expiresAt, List<String> scopes, String description,
                               List<String> tags, Actor actor) {
        List<String> requested = Scopes.requested(scopes);
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        TokenState created = commands.sendAndWait(new CreatePermanentToken(TokenId.random(), owner, name,
                secret.hash(), secret.hint(), expiry(expiresAt), actor.userId(), requested, description, tags));
        return created(created, secret);
    }

    /**
     * Changes a token's description and tags (null: unchanged; blank / empty: cleared) and returns its view
     * afterwards.
     */
    public TokenView describe(TokenId tokenId, String description, List<String> tags, Actor actor) {
        commands.sendAndWait(new DescribeToken(tokenId, actor, description, tags));
        return view(tokenId);
    }

    /**
     * Replaces a token by a new one with a new secret; the old one is revoked. The new one carries these scopes, or
     * the old one's when null.
     */
    public CreatedToken rotate(TokenId tokenId, String expiresAt, List<String> scopes, Actor actor) {
        return rotate(tokenId, expiresAt, scopes, null, actor);
    }

    /**
     * Replaces a token by a new one with a new secret. The old one is revoked at once, or with a grace period (an
     * ISO-8601 duration such as {@code PT24H}, at most {@code P7D}) keeps working until the grace ends.
     */
    public CreatedToken rotate(TokenId tokenId, String expiresAt, List<String> scopes, String gracePeriod,
                               Actor actor) {
        List<String> requested = scopes == null ? null : Scopes.requested(scopes);
        Duration grace = gracePeriod(gracePeriod);
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        TokenState created = commands.sendAndWait(new RotateToken(tokenId, TokenId.random(), secret.hash(),
                secret.hint(), expiry(expiresAt), actor, requested, grace));
        return created(created, secret);
    }

    /** Revokes a token (idempotent) and returns its view afterwards. */
    public TokenView revoke(TokenId tokenId, String reason, Actor actor) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        commands.sendAndWait(new RevokeToken(tokenId, actor, why));
        return view(tokenId);
    }

    /** The token just created, as its creation left it, with its plaintext this once. */
    private static CreatedToken created(TokenState token, TokenSecret secret) {
        return new CreatedToken(token.tokenId().toString(), token.name(), secret.reveal(), token.hint(),
                token.ownerId().toString(), token.createdAt(), token.expiresAt(), token.status(), token.scopes(),
                token.description(), token.tags());
    }

    private TokenView view(TokenId tokenId) {
        return queries.query(new FindToken(tokenId), ResponseTypes.optionalInstanceOf(TokenView.class)).join()
                .orElseThrow(() -> CommandRejected.notFound("no token " + tokenId));
    }

    /** An ISO-8601 duration, or none (null or blank); its range is the token's rule. */
    private static Duration gracePeriod(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw CommandRejected.invalid("gracePeriod", "must be a positive ISO-8601 duration of at most P7D");
        }
    }

    /**
     * {@code YYYY-MM-DD} means 00:00 UTC of that date; an ISO instant is taken as is; none (null) means the default
     * lifetime, which the token's creation reads from the App Config in force.
     */
    private static Instant expiry(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            if (text.strip().length() == 10) {
                return LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw CommandRejected.invalid("expiresAt", "must be a date YYYY-MM-DD or an ISO-8601 instant");
        }
    }
}
