package io.tokenledger.command.token;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.FindToken;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.RotateToken;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.settings.CurrentSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Creating, rotating and revoking permanent tokens, shared by the REST API and the web console: the secret
 * is generated here, outside the aggregate, and handed back exactly once.
 */
@Component
public class PermanentTokens {
    private static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

    private final CommandGateway commands;
    private final TokenOwners owners;
    private final QueryGateway queries;
    private final Clock clock;
    private final CurrentSettings settings;
    private final Duration defaultMaxLifetime;

    PermanentTokens(CommandGateway commands, TokenOwners owners, QueryGateway queries, Clock clock,
                    CurrentSettings settings,
                    @Value("${tokenledger.tokens.max-lifetime:365d}") Duration defaultMaxLifetime) {
        this.commands = commands;
        this.owners = owners;
        this.queries = queries;
        this.clock = clock;
        this.settings = settings;
        this.defaultMaxLifetime = defaultMaxLifetime;
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
        List<String> requested = Scopes.requested(scopes);
        owners.requireEnabled(owner);
        Duration maxLifetime = maxLifetime();
        Instant expiry = expiry(expiresAt, maxLifetime);
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        TokenId tokenId = TokenId.random();
        commands.sendAndWait(new CreatePermanentToken(tokenId, owner, name, secret.hash(), secret.hint(), expiry,
                maxLifetime, actor.userId(), requested));
        return created(tokenId, secret);
    }

    /**
     * Replaces a token by a new one with a new secret; the old one is revoked. The new one carries these scopes, or
     * the old one's when null.
     */
    public CreatedToken rotate(TokenId tokenId, String expiresAt, List<String> scopes, Actor actor) {
        List<String> requested = scopes == null ? null : Scopes.requested(scopes);
        Duration maxLifetime = maxLifetime();
        Instant expiry = expiry(expiresAt, maxLifetime);
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        TokenId newId = TokenId.random();
        commands.sendAndWait(new RotateToken(tokenId, newId, secret.hash(), secret.hint(), expiry, maxLifetime, actor,
                requested));
        return created(newId, secret);
    }

    /** Revokes a token (idempotent) and returns its view afterwards. */
    public TokenView revoke(TokenId tokenId, String reason, Actor actor) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        commands.sendAndWait(new RevokeToken(tokenId, actor, why));
        return view(tokenId);
    }

    /** The {@code Permanent Token Max Lifetime Days} setting, else the configured default. */
    private Duration maxLifetime() {
        return settings.value(SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS)
                .map(days -> Duration.ofDays(Integer.parseInt(days)))
                .orElse(defaultMaxLifetime);
    }

    /** The token just created, as the read model (written with it) shows it, with its plaintext this once. */
    private CreatedToken created(TokenId tokenId, TokenSecret secret) {
        TokenView view = view(tokenId);
        return new CreatedToken(view.id(), view.name(), secret.reveal(), view.hint(), view.userId(), view.createdAt(),
                view.expiresAt(), view.status(), view.scopes());
    }

    private TokenView view(TokenId tokenId) {
        return queries.query(new FindToken(tokenId), ResponseTypes.optionalInstanceOf(TokenView.class)).join()
                .orElseThrow(() -> CommandRejected.notFound("no token " + tokenId));
    }

    /** {@code YYYY-MM-DD} means 00:00 UTC of that date; an ISO instant is taken as is; none means a year. */
    private Instant expiry(String text, Duration maxLifetime) {
        if (text == null || text.isBlank()) {
            Duration lifetime = maxLifetime.compareTo(DEFAULT_LIFETIME) < 0 ? maxLifetime : DEFAULT_LIFETIME;
            return clock.instant().plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
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
