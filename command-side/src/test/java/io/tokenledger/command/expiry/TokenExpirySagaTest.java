package io.tokenledger.command.expiry;

import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.ExpiryWarningsRescheduled;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.settings.CurrentSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.axonframework.messaging.Message;
import org.axonframework.test.matchers.Matchers;
import org.axonframework.test.saga.SagaTestFixture;
import org.hamcrest.CoreMatchers;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The expiry saga's schedule, by advancing the fixture's clock: never by sleeping. */
class TokenExpirySagaTest {
    private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private final TokenId tokenId = TokenId.random();
    private final UserId owner = UserId.random();
    private final TokenHash hash = new TokenHash("ab".repeat(32));
    private final String bucket = Integer.toString(ExpiryBuckets.of(tokenId));
    private final PolicyInForce policy = new PolicyInForce();
    private SagaTestFixture<TokenExpirySaga> fixture;

    /** The ladder a new saga reads when it starts. */
    private static final class PolicyInForce implements CurrentSettings {
        private WarningPolicy current = new WarningPolicy(ExpiryWarningDays.NONE, 0);

        @Override
        public Optional<String> value(SettingKey key) {
            return Optional.empty();
        }

        @Override
        public WarningPolicy warningPolicy() {
            return current;
        }

        @Override
        public void put(SettingKey key, String value, long policyVersion) {
            throw new UnsupportedOperationException("the saga never writes settings");
        }

        @Override
        public void remove(SettingKey key) {
            throw new UnsupportedOperationException("the saga never writes settings");
        }
    }

    @BeforeEach
    void setUp() {
        fresh();
    }

    /** A new fixture: a fixture keeps its sagas across given/when rounds, so each round gets its own. */
    private SagaTestFixture<TokenExpirySaga> fresh() {
        fixture = new SagaTestFixture<>(TokenExpirySaga.class);
        fixture.registerResource(policy);
        fixture.givenCurrentTime(NOW);
        return fixture;
    }

    private void ladder(String days, long version) {
        policy.current = new CurrentSettings.WarningPolicy(ExpiryWarningDays.parse(days), version);
    }

    private PermanentTokenCreated createdExpiringIn(Duration lifetime) {
        return new PermanentTokenCreated(tokenId, owner, "ci-deploy", hash, "tlp_…abcd", NOW, UserId.random(),
                NOW.plus(lifetime), null);
    }

    private ExpiryWarningsRescheduled rescheduled(long version, Integer... days) {
        return new ExpiryWarningsRescheduled(Integer.parseInt(bucket), List.of(days), version);
    }

    private static ExpiryWarningDue due(int days) {
        return new ExpiryWarningDue(days);
    }

    private static Matcher<Message<?>> deadlineFor(int days) {
        return Matchers.messageWithPayload(CoreMatchers.equalTo(due(days)));
    }

    @Test
    void schedulesTheWarningAtExpiryMinusTheConfiguredDays() throws Exception {
        ladder("7", 1);
        Instant expiry = NOW.plus(Duration.ofDays(30));
        fixture.givenNoPriorActivity()
                .whenAggregate(tokenId.toString()).publishes(createdExpiringIn(Duration.ofDays(30)))
                .expectActiveSagas(1)
                .expectAssociationWith("tokenId", tokenId.toString())
                .expectAssociationWith(ExpiryBuckets.ASSOCIATION, bucket)
                .expectScheduledDeadline(expiry.minus(Duration.ofDays(7)), due(7))
                .expectNoDispatchedCommands();
    }

    @Test
    void theWarningFiresOnceWhenItsTimeComes() throws Exception {
        ladder("7", 1);
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(30)))
                .whenTimeElapses(Duration.ofDays(23).minusSeconds(1))
                .expectNoDispatchedCommands();
        fresh().givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(30)))
                .whenTimeElapses(Duration.ofDays(23))
                .expectDispatchedCommands(new MarkExpiryApproaching(tokenId, 7))
                .expectTriggeredDeadlinesWithName(TokenExpirySaga.WARNING_DEADLINE)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aLadderWarnsAtEachRungInTurn() throws Exception {
        ladder("30;7;1", 1);
        Instant expiry = NOW.plus(Duration.ofDays(60));
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(60)))
                .whenTimeAdvancesTo(expiry.minus(Duration.ofDays(7)))
                .expectDispatchedCommands(new MarkExpiryApproaching(tokenId, 30), new MarkExpiryApproaching(tokenId, 7))
                .expectScheduledDeadline(expiry.minus(DAY), due(1));
        fresh().givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(60)))
                .whenTimeAdvancesTo(expiry.minusSeconds(1))
                .expectDispatchedCommands(new MarkExpiryApproaching(tokenId, 30), new MarkExpiryApproaching(tokenId, 7),
                        new MarkExpiryApproaching(tokenId, 1))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aTokenCreatedInsideTheWindowIsWarnedAtOnceAtTheClosestThresholdOnly() throws Exception {
        ladder("30;7;1", 1);
        Instant expiry = NOW.plus(Duration.ofDays(5));
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(5)))
                .whenTimeElapses(Duration.ZERO)
                .expectDispatchedCommands(new MarkExpiryApproaching(tokenId, 7))
                .expectScheduledDeadline(expiry.minus(DAY), due(1));
    }

    @Test
    void aLongerLadderSetLaterMovesTheWarningEarlier() throws Exception {
        ladder("7", 1);
        Instant expiry = NOW.plus(Duration.ofDays(60));
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(60)))
                .whenPublishingA(rescheduled(2, 30))
                .expectScheduledDeadline(expiry.minus(Duration.ofDays(30)), due(30))
                .expectNoScheduledDeadlineMatching(deadlineFor(7));
    }

    @Test
    void aShorterLadderSetLaterMovesTheWarningLater() throws Exception {
        ladder("30", 1);
        Instant expiry = NOW.plus(Duration.ofDays(60));
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(60)))
                .whenPublishingA(rescheduled(2, 7))
                .expectScheduledDeadline(expiry.minus(Duration.ofDays(7)), due(7))
                .expectNoScheduledDeadlineMatching(deadlineFor(30));
    }

    @Test
    void aLadderWhoseTimeHasAlreadyPassedFiresAtOnce() throws Exception {
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(20)))
                .andThenTimeElapses(Duration.ofDays(1))
                .whenPublishingA(rescheduled(2, 30))
                .expectScheduledDeadline(NOW.plus(DAY), due(30));
        fresh().givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(20)))
                .andThenTimeElapses(Duration.ofDays(1))
                .andThenAPublished(rescheduled(2, 30))
                .whenTimeElapses(Duration.ZERO)
                .expectDispatchedCommands(new MarkExpiryApproaching(tokenId, 30));
    }

    @Test
    void turningWarningsOffCancelsThePendingOne() throws Exception {
        ladder("7", 1);
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(30)))
                .whenPublishingA(rescheduled(2))
                .expectNoScheduledDeadlines()
                .expectActiveSagas(1);
    }

    @Test
    void anAnnouncementTheSagaAlreadyKnowsChangesNothing() throws Exception {
        ladder("7", 3);
        Instant expiry = NOW.plus(Duration.ofDays(30));
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(30)))
                .whenPublishingA(rescheduled(2, 30))
                .expectScheduledDeadline(expiry.minus(Duration.ofDays(7)), due(7))
                .expectNoScheduledDeadlineMatching(deadlineFor(30));
    }

    @Test
    void aThresholdAlreadyWarnedIsNotWarnedAgainAfterALadderChange() throws Exception {
        ladder("7", 1);
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(30)))
                .andThenTimeElapses(Duration.ofDays(24))
                .whenPublishingA(rescheduled(2, 30, 7))
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
    }

    @Test
    void revokingCancelsTheWarningAndEndsTheSaga() throws Exception {
        ladder("7", 1);
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(30)))
                .whenAggregate(tokenId.toString()).publishes(new TokenRevoked(tokenId, owner, hash, owner, null, NOW))
                .expectNoScheduledDeadlines()
                .expectActiveSagas(0);
    }

    @Test
    void rotationRevokesTheOldTokenAndEndsItsSaga() throws Exception {
        ladder("7", 1);
        TokenId successor = TokenId.random();
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(30)),
                        new TokenRotated(tokenId, successor, owner))
                .whenAggregate(tokenId.toString()).publishes(new TokenRevoked(tokenId, owner, hash, owner, "ROTATED", NOW))
                .expectNoScheduledDeadlines()
                .expectActiveSagas(0);
    }

    @Test
    void expiryEndsTheSaga() throws Exception {
        ladder("7", 1);
        fixture.givenAggregate(tokenId.toString()).published(createdExpiringIn(Duration.ofDays(3)))
                .andThenTimeElapses(Duration.ofDays(3))
                .whenAggregate(tokenId.toString())
                .publishes(new TokenExpired(tokenId, owner, hash, NOW.plus(Duration.ofDays(3))))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void withoutALadderNothingIsScheduled() throws Exception {
        fixture.givenNoPriorActivity()
                .whenAggregate(tokenId.toString()).publishes(createdExpiringIn(Duration.ofDays(30)))
                .expectActiveSagas(1)
                .expectNoScheduledDeadlines();
    }
}
