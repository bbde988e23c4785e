package io.tokenledger.command.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.expiry.ExpiryWarnings.Pending;
import io.tokenledger.command.expiry.RecordedExpiryWarnings;
import io.tokenledger.command.scope.RecordedScopes;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The expiry-warning rules, in the Token aggregate that plans its own warnings: the closest threshold only, each
 * threshold once, never one at or above a threshold already warned, the ladder in force (a new one replans, see
 * {@code WarningLadderTest} and {@code ExpiryWarningFlowTest}), and no warning left after revoke or expiry (rotation,
 * which writes two tokens, in {@code ExpiryWarningFlowTest}).
 */
class TokenExpiryWarningTest {
    private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private final TokenId id = TokenId.random();
    private final UserId owner = UserId.random();
    private final UserId adminId = UserId.random();
    private final TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
    private final RecordedExpiryWarnings warnings = new RecordedExpiryWarnings();
    private final RecordedScopes scopes = new RecordedScopes().registered("deploy");
    private AggregateTestFixture<Token> fixture;

    @BeforeEach
    void setUp() {
        fresh();
    }

    /** A new fixture: one fixture's clock cannot go back once a round has scheduled deadlines. */
    private AggregateTestFixture<Token> fresh() {
        fixture = new AggregateTestFixture<>(Token.class);
        fixture.registerInjectableResource(new TokenNameClaims() {
            @Override
            public boolean claim(UserId ownerId, String name, TokenId tokenId) {
                return true;
            }

            @Override
            public void release(TokenId tokenId) {
            }
        });
        fixture.registerInjectableResource(warnings);
        fixture.registerInjectableResource(scopes);
        fixture.registerInjectableResource(warnings.settings());
        fixture.registerInjectableResource(TokenOwnersStub.enabled());
        fixture.registerAnnotatedCommandHandler(new NewPermanentTokens(fixture.getRepository()));
        fixture.givenCurrentTime(NOW);
        return fixture;
    }

    private CreatePermanentToken create(Duration lifetime) {
        return new CreatePermanentToken(id, owner, "ci-deploy", secret.hash(), secret.hint(), NOW.plus(lifetime),
                adminId);
    }

    private PermanentTokenCreated createdExpiringIn(Duration lifetime) {
        return new PermanentTokenCreated(id, owner, "ci-deploy", secret.hash(), secret.hint(), NOW, adminId,
                NOW.plus(lifetime), null);
    }

    private TokenExpiryApproaching warned(Duration lifetime, int days, Instant at) {
        return new TokenExpiryApproaching(id, owner, "ci-deploy", secret.hint(), NOW.plus(lifetime), days, at);
    }

    @Test
    void schedulesTheWarningAtExpiryMinusTheConfiguredDays() {
        warnings.ladder(1, 7);
        fixture.givenNoPriorActivity()
                .when(create(Duration.ofDays(30)))
                .expectSuccessfulHandlerExecution();
        assertThat(warnings.pending(id)).isEqualTo(new Pending(7, NOW.plus(Duration.ofDays(23))));
        assertThat(warnings.of(id).orElseThrow().policyVersion()).isOne();
    }

    @Test
    void theWarningFiresOnceWhenItsTimeComes() {
        warnings.ladder(1, 7);
        Instant due = NOW.plus(Duration.ofDays(23));
        // early (a clock further ahead planned it): nothing yet, the same warning stays pending
        fixture.given(createdExpiringIn(Duration.ofDays(30)))
                .andGivenCurrentTime(due.minus(Duration.ofMinutes(2)))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
        assertThat(warnings.pending(id)).isEqualTo(new Pending(7, due));
        fresh().given(createdExpiringIn(Duration.ofDays(30)))
                .andGivenCurrentTime(due)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(Duration.ofDays(30), 7, due));
        assertThat(warnings.of(id).orElseThrow().closestWarnedDays()).isEqualTo(7);
        assertThat(warnings.pending(id)).as("nothing left on the ladder").isNull();
        // fired again (a duplicate, or after a crash before its completion): no second warning
        fresh().given(createdExpiringIn(Duration.ofDays(30)), warned(Duration.ofDays(30), 7, due))
                .andGivenCurrentTime(due.plusSeconds(5))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
    }

    @Test
    void aLadderWarnsAtEachRungInTurn() {
        warnings.ladder(1, 30, 7, 1);
        Duration life = Duration.ofDays(60);
        Instant expiry = NOW.plus(life);
        fixture.givenNoPriorActivity().when(create(life));
        assertThat(warnings.pending(id)).isEqualTo(new Pending(30, expiry.minus(Duration.ofDays(30))));

        Instant at30 = expiry.minus(Duration.ofDays(30));
        fresh().given(createdExpiringIn(life)).andGivenCurrentTime(at30)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(life, 30, at30));
        assertThat(warnings.pending(id)).isEqualTo(new Pending(7, expiry.minus(Duration.ofDays(7))));

        Instant at7 = expiry.minus(Duration.ofDays(7));
        fresh().given(createdExpiringIn(life), warned(life, 30, at30)).andGivenCurrentTime(at7)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(life, 7, at7));
        assertThat(warnings.pending(id)).isEqualTo(new Pending(1, expiry.minus(DAY)));

        Instant at1 = expiry.minus(DAY);
        fresh().given(createdExpiringIn(life), warned(life, 30, at30), warned(life, 7, at7)).andGivenCurrentTime(at1)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(life, 1, at1));
        assertThat(warnings.pending(id)).isNull();
    }

    @Test
    void aTokenCreatedInsideTheWindowIsWarnedAtOnceAtTheClosestThresholdOnly() {
        warnings.ladder(1, 30, 7, 1);
        Duration life = Duration.ofDays(5);
        fixture.givenNoPriorActivity().when(create(life));
        assertThat(warnings.pending(id)).as("due at once").isEqualTo(new Pending(7, NOW));

        fresh().given(createdExpiringIn(life))
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(life, 7, NOW));
        assertThat(warnings.pending(id)).isEqualTo(new Pending(1, NOW.plus(life).minus(DAY)));
    }

    @Test
    void aFiringFollowsTheLadderInForceNotTheOneItWasPlannedFrom() {
        Duration life = Duration.ofDays(60);
        Instant at = NOW.plus(Duration.ofDays(53));
        // planned at 7 days; the ladder became 30 days and the replan missed this firing: the closest threshold of
        // the ladder in force, 30, is warned (once), and nothing is left
        warnings.ladder(2, 30);
        fixture.given(createdExpiringIn(life)).andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(life, 30, at));
        assertThat(warnings.pending(id)).isNull();
        assertThat(warnings.of(id).orElseThrow().policyVersion()).isEqualTo(2);
        // and warnings turned off in between: nothing
        warnings.ladder(3);
        fresh().given(createdExpiringIn(life)).andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
    }

    @Test
    void aThresholdAlreadyWarnedIsNotWarnedAgainAfterALadderChange() {
        warnings.ladder(2, 30, 7);
        Duration life = Duration.ofDays(30);
        Instant at7 = NOW.plus(Duration.ofDays(23));
        fixture.given(createdExpiringIn(life), warned(life, 7, at7))
                .andGivenCurrentTime(NOW.plus(Duration.ofDays(24)))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
        assertThat(warnings.pending(id)).isNull();
    }

    @Test
    void revokingCancelsThePendingWarning() {
        warnings.ladder(1, 7);
        fixture.givenCommands(create(Duration.ofDays(30)))
                .when(new RevokeToken(id, null, "leaked"))
                .expectSuccessfulHandlerExecution();
        assertThat(warnings.of(id)).isEmpty();
    }

    @Test
    void expiryCancelsThePendingWarning() {
        warnings.ladder(1, 1);
        fixture.givenCommands(create(Duration.ofDays(3)))
                .andGivenCurrentTime(NOW.plus(Duration.ofDays(3)))
                .when(new MarkExpiryApproaching(id))
                .expectEvents(new TokenExpired(id, owner, secret.hash(), NOW.plus(Duration.ofDays(3))));
        assertThat(warnings.of(id)).isEmpty();
    }

    @Test
    void withoutALadderNothingIsPendingButTheTokenIsPlanned() {
        fixture.givenNoPriorActivity()
                .when(create(Duration.ofDays(30)))
                .expectSuccessfulHandlerExecution();
        assertThat(warnings.of(id)).isPresent();
        assertThat(warnings.pending(id)).isNull();
        assertThat(warnings.due(id)).contains(NOW.plus(Duration.ofDays(30)));
    }
}
