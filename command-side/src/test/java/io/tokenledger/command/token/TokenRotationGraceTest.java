package io.tokenledger.command.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.ReportLeakedToken;
import io.tokenledger.api.token.ReportRotatedTokenReuse;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.RotateToken;
import io.tokenledger.api.token.RotatedTokenReused;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenLeakReported;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.expiry.ExpiryWarnings;
import io.tokenledger.command.expiry.RecordedExpiryWarnings;
import io.tokenledger.command.scope.RecordedScopes;
import io.tokenledger.command.scope.ScopeCatalog;
import io.tokenledger.command.settings.CurrentSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation with a grace period, as the old token's rules see it: the fixture holds one aggregate, so a rotation here
 * retires the old token only (its successor's creation is {@code TokenLifecycleFlowTest}'s and
 * {@code RotationGraceFlowTest}'s, over HTTP).
 */
class TokenRotationGraceTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private final TokenId id = TokenId.random();
    private final TokenId successor = TokenId.random();
    private final UserId owner = UserId.random();
    private final UserId adminId = UserId.random();
    private final Actor admin = new Actor(adminId, "root", Role.ADMIN, TokenId.random(), TokenKind.TEMPORARY, NOW);
    private final TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
    private final TokenSecret newSecret = TokenSecret.generate(TokenKind.PERMANENT);
    private final RecordedNameClaims names = new RecordedNameClaims();
    private final Map<String, TokenId> claimed = names.claimed();
    private final RecordedExpiryWarnings warnings = new RecordedExpiryWarnings();
    private AggregateTestFixture<Token> fixture;

    /** Creates tokens as the application does, and rotates by retiring the old token only. */
    static class OldTokenOnly {
        private final Repository<Token> tokens;

        OldTokenOnly(Repository<Token> tokens) {
            this.tokens = tokens;
        }

        @CommandHandler
        public void handle(CreatePermanentToken command, TokenOwners owners, TokenNameClaims names,
                           CurrentSettings settings, ExpiryWarnings warnings, ScopeCatalog scopes) throws Exception {
            tokens.newInstance(() -> new Token(command, null, owners, names, settings, warnings, scopes));
        }

        @CommandHandler
        public void handle(RotateToken command, TokenNameClaims names, ExpiryWarnings warnings) {
            tokens.load(command.tokenId().toString()).execute(old -> old.rotate(command, names, warnings));
        }
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Token.class);
        fixture.registerInjectableResource(names);
        fixture.registerInjectableResource(warnings);
        fixture.registerInjectableResource(new RecordedScopes());
        fixture.registerInjectableResource(TokenOwnersStub.enabled());
        fixture.registerInjectableResource(warnings.settings());
        fixture.registerAnnotatedCommandHandler(new OldTokenOnly(fixture.getRepository()));
        fixture.givenCurrentTime(NOW);
        warnings.ladder(1, 7);
    }

    private CreatePermanentToken create(Instant expiresAt) {
        return new CreatePermanentToken(id, owner, "ci-deploy", secret.hash(), secret.hint(), expiresAt, adminId);
    }

    private RotateToken rotate(Duration grace) {
        return new RotateToken(id, successor, newSecret.hash(), newSecret.hint(), null, admin, null, grace);
    }

    private PermanentTokenCreated created() {
        return new PermanentTokenCreated(id, owner, "ci-deploy", secret.hash(), secret.hint(), NOW, adminId,
                NOW.plus(Duration.ofDays(30)), null, Scopes.DEFAULT);
    }

    private TokenRotated rotated(Instant graceEndsAt) {
        return new TokenRotated(id, successor, adminId, graceEndsAt);
    }

    @Test
    void withAGracePeriodTheOldTokenIsRotatingUntilTheGraceEndsNotRevoked() {
        claimed.put(owner + "/ci-deploy", id);
        fixture.given(created())
                .when(rotate(HOUR))
                .expectEvents(rotated(NOW.plus(HOUR)))
                .expectState(token -> {
                    assertThat(token.state().status()).hasToString("ROTATING");
                    assertThat(token.state().graceEndsAt()).isEqualTo(NOW.plus(HOUR));
                    assertThat(token.state().replacedBy()).isEqualTo(successor);
                });
        assertThat(claimed).as("the name passes to the successor").isEmpty();
        assertThat(warnings.of(id)).as("no more expiry warnings").isEmpty();
        assertThat(warnings.due(id)).as("its task: the end of the grace").contains(NOW.plus(HOUR));
    }

    @Test
    void withoutAGracePeriodTheOldTokenIsRevokedAtOnceAsBefore() {
        fixture.given(created())
                .when(rotate(null))
                .expectEvents(new TokenRotated(id, successor, adminId),
                        new TokenRevoked(id, owner, secret.hash(), adminId, RevokeToken.ROTATED, NOW));
    }

    @Test
    void theOldTokenExpiresWhenTheGraceEnds() {
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .andGivenCurrentTime(NOW.plus(HOUR))
                .when(new MarkExpiryApproaching(id))
                .expectEvents(new TokenExpired(id, owner, secret.hash(), NOW.plus(HOUR)));
    }

    @Test
    void nothingEndsBeforeTheGraceDoes() {
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .andGivenCurrentTime(NOW.plus(HOUR).minusSeconds(1))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
        assertThat(warnings.due(id)).as("due again at the end of the grace").contains(NOW.plus(HOUR));
    }

    @Test
    void aGraceEndingAfterTheTokensExpiryEndsItAtItsExpiry() {
        Instant expiry = NOW.plus(Duration.ofMinutes(30));
        fixture.givenCommands(create(expiry))
                .when(rotate(HOUR))
                .expectEvents(rotated(NOW.plus(HOUR)));
        assertThat(warnings.due(id)).contains(expiry);
        fixture.givenCommands(create(expiry), rotate(HOUR))
                .andGivenCurrentTime(expiry)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(new TokenExpired(id, owner, secret.hash(), expiry));
    }

    @Test
    void aTaskFiringLateEndsTheTokenAtTheEndOfItsGrace() {
        Instant expiry = NOW.plus(Duration.ofDays(30));
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .andGivenCurrentTime(expiry.plusSeconds(1))
                .when(new MarkExpiryApproaching(id))
                .expectEvents(new TokenExpired(id, owner, secret.hash(), NOW.plus(HOUR)));
    }

    @Test
    void aRotatingTokenCanBeRevokedWhichEndsItAtOnce() {
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .when(new RevokeToken(id, admin, "done"))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), adminId, "done", NOW));
        fixture.given(created(), rotated(NOW.plus(HOUR)),
                        new TokenRevoked(id, owner, secret.hash(), adminId, "x", NOW))
                .andGivenCurrentTime(NOW.plus(HOUR))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
    }

    @Test
    void aRotatingTokenCannotBeRotatedAgain() {
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .when(rotate(HOUR))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("the token is rotating and cannot be rotated")
                .expectNoEvents();
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .when(rotate(null))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void theGracePeriodMustBePositiveAndAtMostSevenDays() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMinutes(-5), Duration.ofDays(7).plusSeconds(1)}) {
            fixture.given(created())
                    .when(rotate(bad))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
        fixture.given(created())
                .when(rotate(Duration.ofDays(7)))
                .expectEvents(rotated(NOW.plus(Duration.ofDays(7))));
    }

    @Test
    void aReuseAfterTheSuccessorsUseIsRecordedOnce() {
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .when(new ReportRotatedTokenReuse(id))
                .expectEvents(new RotatedTokenReused(id, owner, "ci-deploy", secret.hint(),
                        NOW.plus(Duration.ofDays(30)), Scopes.DEFAULT, successor, NOW.plus(HOUR), NOW));
        fixture.given(created(), rotated(NOW.plus(HOUR)), new RotatedTokenReused(id, owner, "ci-deploy",
                        secret.hint(), NOW.plus(Duration.ofDays(30)), Scopes.DEFAULT, successor, NOW.plus(HOUR), NOW))
                .when(new ReportRotatedTokenReuse(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aReuseIsNotATokenThatIsNotRotating() {
        fixture.given(created())
                .when(new ReportRotatedTokenReuse(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(created(), rotated(NOW.plus(HOUR)),
                        new TokenRevoked(id, owner, secret.hash(), adminId, "x", NOW))
                .when(new ReportRotatedTokenReuse(id))
                .expectNoEvents();
        fixture.given(created(), rotated(NOW.minusSeconds(1)))
                .when(new ReportRotatedTokenReuse(id))
                .expectNoEvents();
    }

    @Test
    void aRotatingTokenGetsNoExpiryWarning() {
        warnings.ladder(2, 30); // a threshold already reached
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .andGivenCurrentTime(NOW.plus(Duration.ofMinutes(30)))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
        assertThat(warnings.due(id)).as("due again at the end of the grace").contains(NOW.plus(HOUR));
    }

    @Test
    void aLeakOfARotatingTokenRevokesIt() {
        fixture.given(created(), rotated(NOW.plus(HOUR)))
                .when(new ReportLeakedToken(id, "scanner"))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), null, RevokeToken.REPORTED_LEAKED, NOW),
                        new TokenLeakReported(id, owner, "ci-deploy", secret.hint(), NOW.plus(Duration.ofDays(30)),
                                Scopes.DEFAULT, "scanner", NOW));
    }
}
