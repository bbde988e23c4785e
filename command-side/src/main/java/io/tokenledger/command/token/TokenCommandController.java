package io.tokenledger.command.token;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.FindToken;
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
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.command.ConsistentCommands;
import io.tokenledger.command.settings.CurrentSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Token commands over REST: create (admins), revoke and rotate (admins and owners). */
@RestController
class TokenCommandController {
    private static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

    private final ConsistentCommands commands;
    private final QueryGateway queries;
    private final Clock clock;
    private final CurrentSettings settings;
    private final Duration defaultMaxLifetime;

    TokenCommandController(ConsistentCommands commands, QueryGateway queries, Clock clock, CurrentSettings settings,
                           @Value("${tokenledger.tokens.max-lifetime:365d}") Duration defaultMaxLifetime) {
        this.commands = commands;
        this.queries = queries;
        this.clock = clock;
        this.settings = settings;
        this.defaultMaxLifetime = defaultMaxLifetime;
    }

    /** The {@code Permanent Token Max Lifetime Days} setting, else the configured default. */
    private Duration maxLifetime() {
        return settings.value(SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS)
                .map(days -> Duration.ofDays(Integer.parseInt(days)))
                .orElse(defaultMaxLifetime);
    }

    /** Body of token creation: a name and an optional expiry, {@code YYYY-MM-DD} (00:00 UTC) or an instant. */
    record CreateTokenRequest(@Size(max = 400) String name, String expiresAt) {
    }

    /** Body of a rotation: an optional expiry for the new token. */
    record RotateTokenRequest(String expiresAt) {
    }

    /** Body of a revocation: an optional reason. */
    record RevokeTokenRequest(@Size(max = 200) String reason) {
    }

    /** The answer to a creation or rotation: the only time the plaintext is shown. */
    record CreatedToken(String id, String name, String token, String hint, String userId, Instant createdAt,
                        Instant expiresAt, TokenStatus status) {
        @Override
        public String toString() {
            return "CreatedToken[id=" + id + ", hint=" + hint + "]";
        }
    }

    @PostMapping("/api/users/{userId}/tokens")
    ResponseEntity<CreatedToken> createForUser(@PathVariable UUID userId, @Valid @RequestBody CreateTokenRequest body,
                                               @AuthenticationPrincipal Actor actor) {
        return create(new UserId(userId), body, actor);
    }

    @PostMapping("/api/me/tokens")
    ResponseEntity<CreatedToken> createForSelf(@Valid @RequestBody CreateTokenRequest body,
                                               @AuthenticationPrincipal Actor actor) {
        return create(actor.userId(), body, actor);
    }

    @PostMapping("/api/tokens/{id}/revoke")
    TokenView revoke(@PathVariable UUID id, @Valid @RequestBody(required = false) RevokeTokenRequest body,
                     @AuthenticationPrincipal Actor actor) {
        String reason = body == null || body.reason() == null || body.reason().isBlank() ? null : body.reason().strip();
        commands.send(new RevokeToken(new TokenId(id), actor, reason));
        return view(new TokenId(id));
    }

    @PostMapping("/api/tokens/{id}/rotate")
    ResponseEntity<CreatedToken> rotate(@PathVariable UUID id, @RequestBody(required = false) RotateTokenRequest body,
                                        @AuthenticationPrincipal Actor actor) {
        Duration maxLifetime = maxLifetime();
        Instant expiresAt = expiry(body == null ? null : body.expiresAt(), maxLifetime);
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        TokenId newId = TokenId.random();
        commands.send(new RotateToken(new TokenId(id), newId, secret.hash(), secret.hint(), expiresAt, maxLifetime,
                actor));
        return created(view(newId), secret);
    }

    private ResponseEntity<CreatedToken> create(UserId owner, CreateTokenRequest body, Actor actor) {
        UserSummary user = queries.query(new FindUser(owner), ResponseTypes.optionalInstanceOf(UserSummary.class))
                .join().orElseThrow(() -> CommandRejected.notFound("no user " + owner));
        if (!user.enabled()) {
            throw CommandRejected.conflict("user '" + user.username() + "' is disabled");
        }
        Duration maxLifetime = maxLifetime();
        Instant expiresAt = expiry(body.expiresAt(), maxLifetime);
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        TokenId tokenId = TokenId.random();
        commands.send(new CreatePermanentToken(tokenId, owner, body.name(), secret.hash(), secret.hint(), expiresAt,
                maxLifetime, actor.userId()));
        return created(view(tokenId), secret);
    }

    private static ResponseEntity<CreatedToken> created(TokenView view, TokenSecret secret) {
        return ResponseEntity.created(URI.create("/api/tokens/" + view.id()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new CreatedToken(view.id(), view.name(), secret.reveal(), view.hint(), view.userId(),
                        view.createdAt(), view.expiresAt(), view.status()));
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
