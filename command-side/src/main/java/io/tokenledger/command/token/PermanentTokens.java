package io.tokenledger.command.token;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.FindToken;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.RotateToken;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.user.FindUser;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserSummary;
import io.tokenledger.command.ConsistentCommands;
import io.tokenledger.command.settings.CurrentSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Message;
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

    private final ConsistentCommands commands;
    private final QueryGateway queries;
    private final EventStore events;
    private final Clock clock;
    private final CurrentSettings settings;
    private final Duration defaultMaxLifetime;

    PermanentTokens(ConsistentCommands commands, QueryGateway queries, EventStore events, Clock clock,
                    CurrentSettings settings,
                    @Value("${tokenledger.tokens.max-lifetime:365d}") Duration defaultMaxLifetime) {
        this.commands = commands;
        this.queries = queries;
        this.events = events;
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
        UserSummary user = queries.query(new FindUser(owner), ResponseTypes.optionalInstanceOf(UserSummary.class))
                .join().orElseThrow(() -> CommandRejected.notFound("no user " + owner));
        if (!user.enabled()) {
            throw CommandRejected.conflict("user '" + user.username() + "' is disabled");
        }
        Duration maxLifetime = maxLifetime();
        Instant expiry = expiry(expiresAt, maxLifetime);
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        TokenId tokenId = TokenId.random();
        commands.send(new CreatePermanentToken(tokenId, owner, name, secret.hash(), secret.hint(), expiry,
                maxLifetime, actor.userId()));
        return created(tokenId, secret);
    }

    /** Replaces a token by a new one with a new secret; the old one is revoked. */
    public CreatedToken rotate(TokenId tokenId, String expiresAt, Actor actor) {
        Duration maxLifetime = maxLifetime();
        Instant expiry = expiry(expiresAt, maxLifetime);
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        TokenId newId = TokenId.random();
        commands.send(new RotateToken(tokenId, newId, secret.hash(), secret.hint(), expiry, maxLifetime, actor));
        return created(newId, secret);
    }

    /** Revokes a token (idempotent) and returns its view afterwards. */
    public TokenView revoke(TokenId tokenId, String reason, Actor actor) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        commands.send(new RevokeToken(tokenId, actor, why));
        return view(tokenId);
    }

    /** The {@code Permanent Token Max Lifetime Days} setting, else the configured default. */
    private Duration maxLifetime() {
        return settings.value(SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS)
                .map(days -> Duration.ofDays(Integer.parseInt(days)))
                .orElse(defaultMaxLifetime);
    }

    /**
     * The token just created, as the read model shows it; should the read model still trail (catching up after a
     * database outage takes longer than the wait for it), as its creation event says. The token exists either way,
     * so its plaintext must reach the client: there is no second chance to show it.
     */
    private CreatedToken created(TokenId tokenId, TokenSecret secret) {
        Optional<TokenView> view = queries.query(new FindToken(tokenId),
                ResponseTypes.optionalInstanceOf(TokenView.class)).join();
        if (view.isPresent()) {
            return new CreatedToken(view.get().id(), view.get().name(), secret.reveal(), view.get().hint(),
                    view.get().userId(), view.get().createdAt(), view.get().expiresAt(), view.get().status());
        }
        PermanentTokenCreated event = events.readEvents(tokenId.toString()).asStream().map(Message::getPayload)
                .filter(PermanentTokenCreated.class::isInstance).map(PermanentTokenCreated.class::cast).findFirst()
                .orElseThrow(() -> CommandRejected.notFound("no token " + tokenId));
        return new CreatedToken(event.tokenId().toString(), event.name(), secret.reveal(), event.hint(),
                event.ownerId().toString(), event.createdAt(), event.expiresAt(), TokenStatus.ACTIVE);
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
