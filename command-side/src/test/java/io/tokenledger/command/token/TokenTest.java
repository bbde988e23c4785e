package io.tokenledger.command.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.IssueTemporaryToken;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.NoteTokenAddress;
import io.tokenledger.api.token.TokenInactivityApproaching;
import io.tokenledger.api.token.WarnOfInactivity;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.ReportLeakedToken;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.RotateToken;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenLeakReported;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.token.TokenUsed;
import io.tokenledger.api.token.TokenUsedFromNewAddress;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.expiry.RecordedExpiryWarnings;
import io.tokenledger.command.scope.RecordedScopes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Token rules, one fixture test each: given events, when a command (or time passes), expect events. */
class TokenTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final Duration YEAR = Duration.ofDays(365);

    private final TokenId id = TokenId.random();
    private final UserId owner = UserId.random();
    private final UserId adminId = UserId.random();
    private final Actor admin = new Actor(adminId, "root", Role.ADMIN, TokenId.random(), TokenKind.TEMPORARY, NOW);
    private final Actor ownerActor = new Actor(owner, "alice", Role.USER, TokenId.random(), TokenKind.TEMPORARY, NOW);
    private final Actor stranger = new Actor(UserId.random(), "eve", Role.USER, TokenId.random(), TokenKind.TEMPORARY,
            NOW);
    private final TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
    private final RecordedNameClaims names = new RecordedNameClaims();
    private final Map<String, TokenId> claimed = names.claimed();
    private final RecordedExpiryWarnings warnings = new RecordedExpiryWarnings();
    private final RecordedScopes scopes = new RecordedScopes().registered("deploy");
    private AggregateTestFixture<Token> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Token.class);
        fixture.registerInjectableResource(names);
        fixture.registerInjectableResource(warnings);
        fixture.registerInjectableResource(scopes);
        fixture.registerInjectableResource(TokenOwnersStub.enabled());
        fixture.registerInjectableResource(warnings.settings());
        fixture.registerAnnotatedCommandHandler(new NewPermanentTokens(fixture.getRepository()));
        fixture.givenCurrentTime(NOW);
        warnings.ladder(1, 7);
    }

    private CreatePermanentToken create(String name, Instant expiresAt) {
        return new CreatePermanentToken(id, owner, name, secret.hash(), secret.hint(), expiresAt, adminId);
    }

    private PermanentTokenCreated created() {
        return new PermanentTokenCreated(id, owner, "ci-deploy", secret.hash(), secret.hint(), NOW, adminId,
                NOW.plus(Duration.ofDays(30)), null);
    }

    @Test
    void loginIssuesATemporaryTokenThatExpiresAtTheEndOfTheSession() {
        Instant end = NOW.plus(Duration.ofHours(12));
        fixture.givenNoPriorActivity()
                .when(new IssueTemporaryToken(id, owner, secret.hash(), secret.hint(), NOW, end))
                .expectEvents(new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, end));
        assertThat(warnings.due(id)).contains(end);
    }

    @Test
    void aTemporaryTokenMustExpireAfterItIsIssued() {
        fixture.givenNoPriorActivity()
                .when(new IssueTemporaryToken(id, owner, secret.hash(), secret.hint(), NOW, NOW))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void anAdminCreatesAPermanentTokenKnownOnlyByItsHash() {
        fixture.givenNoPriorActivity()
                .when(create("ci-deploy", NOW.plus(Duration.ofDays(30))))
                .expectEvents(created());
        // the ladder is 7 days: the first thing due is the warning, 23 days from now
        assertThat(warnings.due(id)).contains(NOW.plus(Duration.ofDays(23)));
    }

    private CreatePermanentToken createWithScopes(List<String> scopes) {
        return new CreatePermanentToken(id, owner, "ci-deploy", secret.hash(), secret.hint(),
                NOW.plus(Duration.ofDays(30)), adminId, scopes);
    }

    private PermanentTokenCreated createdWithScopes(List<String> scopes) {
        return new PermanentTokenCreated(id, owner, "ci-deploy", secret.hash(), secret.hint(), NOW, adminId,
                NOW.plus(Duration.ofDays(30)), null, scopes);
    }

    @Test
    void aTokenWithoutScopesCarriesApi() {
        assertThat(created().scopes()).containsExactly("api");
        fixture.givenNoPriorActivity()
                .when(createWithScopes(null))
                .expectEvents(createdWithScopes(List.of("api")));
    }

    @Test
    void aTokenCarriesBuiltInAndRegisteredScopesEachOnce() {
        fixture.givenNoPriorActivity()
                .when(createWithScopes(List.of("read_api", "deploy", "read_api")))
                .expectEvents(createdWithScopes(List.of("read_api", "deploy")));
    }

    @Test
    void anUnknownOrMalformedScopeIsInvalidAndNothingIsCreated() {
        for (List<String> bad : List.of(List.of("api", "unregistered"), List.of("Deploy"), List.of("api", " api"))) {
            setUp();
            fixture.givenNoPriorActivity()
                    .when(createWithScopes(bad))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
        assertThat(claimed).isEmpty();
    }

    // A rotation keeping or changing the scopes writes two aggregates: ScopesFlowTest checks it over HTTP.

    @Test
    void aReportedLeakRevokesAnActiveTokenThenRecordsTheLeak() {
        fixture.given(createdWithScopes(List.of("deploy")))
                .when(new ReportLeakedToken(id, "github.com/acme/app"))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), null, RevokeToken.REPORTED_LEAKED, NOW),
                        new TokenLeakReported(id, owner, "ci-deploy", secret.hint(), NOW.plus(Duration.ofDays(30)),
                                List.of("deploy"), "github.com/acme/app", NOW));
        assertThat(claimed).isEmpty();
    }

    @Test
    void aLeakOfATokenThatIsNoLongerActiveChangesNothing() {
        fixture.given(created(), new TokenRevoked(id, owner, secret.hash(), adminId, "x", NOW))
                .when(new ReportLeakedToken(id, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        setUp();
        fixture.given(created())
                .andGivenCurrentTime(NOW.plus(Duration.ofDays(31)))
                .when(new ReportLeakedToken(id, null))
                .expectNoEvents();
    }

    @Test
    void anUnprintableSourceIsLeftOut() {
        fixture.given(created())
                .when(new ReportLeakedToken(id, "bad\u0000source"))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), null, RevokeToken.REPORTED_LEAKED, NOW),
                        new TokenLeakReported(id, owner, "ci-deploy", secret.hint(), NOW.plus(Duration.ofDays(30)),
                                List.of("api"), null, NOW));
    }

    @Test
    void aWarningNamesTheTokensScopes() {
        Instant at = NOW.plus(Duration.ofDays(23));
        fixture.given(createdWithScopes(List.of("deploy")))
                .andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(new TokenExpiryApproaching(id, owner, "ci-deploy", secret.hint(),
                        NOW.plus(Duration.ofDays(30)), 7, at, List.of("deploy")));
    }

    @Test
    void theNameIsStrippedAndMustBeOneToAHundredPrintableCharacters() {
        fixture.givenNoPriorActivity()
                .when(create("  ci-deploy  ", NOW.plus(Duration.ofDays(30))))
                .expectEvents(created());
        for (String bad : new String[] {"", "   ", "x".repeat(101), "tab\there", "bell\u0007", "zero\u200bwidth"}) {
            fixture.givenNoPriorActivity()
                    .when(create(bad, NOW.plus(Duration.ofDays(30))))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
        fixture.givenNoPriorActivity()
                .when(create("Déploiement 🚀 " + "x".repeat(85), NOW.plus(Duration.ofDays(30))))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aNameTakenByAnotherActiveTokenOfTheOwnerIsAConflict() {
        claimed.put(owner + "/ci-deploy", TokenId.random());
        fixture.givenNoPriorActivity()
                .when(create("CI-Deploy", NOW.plus(Duration.ofDays(30))))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("the user already has an active token named 'CI-Deploy'")
                .expectNoEvents();
    }

    @Test
    void theExpiryMustBeInTheFutureAndWithinTheMaximumLifetime() {
        for (Instant bad : new Instant[] {NOW, NOW.minusSeconds(1), NOW.plus(YEAR).plusSeconds(1)}) {
            fixture.givenNoPriorActivity()
                    .when(create("ci", bad))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
        fixture.givenNoPriorActivity()
                .when(create("ci", NOW.plus(YEAR)))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void theMaximumLifetimeInForceWhenTheTokenIsCreatedBoundsItsExpiry() {
        warnings.maxLifetime(Duration.ofDays(30));
        fixture.givenNoPriorActivity()
                .when(create("ci", NOW.plus(Duration.ofDays(31))))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void withoutAnExpiryATokenLivesAYearOrTheMaximumLifetimeIfShorter() {
        fixture.givenNoPriorActivity()
                .when(create("ci-deploy", null))
                .expectEvents(new PermanentTokenCreated(id, owner, "ci-deploy", secret.hash(), secret.hint(), NOW,
                        adminId, NOW.plus(YEAR), null));
        assertThat(warnings.of(id).orElseThrow().expiresAt()).isEqualTo(NOW.plus(YEAR));
        warnings.maxLifetime(Duration.ofDays(30));
        fixture.givenNoPriorActivity()
                .when(create("short-lived", null))
                .expectEvents(new PermanentTokenCreated(id, owner, "short-lived", secret.hash(), secret.hint(), NOW,
                        adminId, NOW.plus(Duration.ofDays(30)), null));
    }

    @Test
    void anAdminOrTheOwnerRevokesRecordingWhoAndWhy() {
        fixture.given(created())
                .when(new RevokeToken(id, admin, "leaked"))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), adminId, "leaked", NOW));
        fixture.given(created())
                .when(new RevokeToken(id, ownerActor, null))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), owner, null, NOW));
    }

    @Test
    void aReasonOfUnprintableCharactersIsInvalid() {
        for (String bad : new String[] {"leak\u0000ed", "leaked\uDC00", "line\u2028break"}) {
            fixture.given(created())
                    .when(new RevokeToken(id, admin, bad))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
    }

    @Test
    void anotherUserCannotRevokeAndLearnsNothing() {
        fixture.given(created())
                .when(new RevokeToken(id, stranger, "mine now"))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("no token " + id)
                .expectNoEvents();
    }

    @Test
    void anAuditorSeesTheTokenButMayNotRevokeIt() {
        Actor auditor = new Actor(UserId.random(), "ann", Role.AUDITOR, TokenId.random(), TokenKind.TEMPORARY, NOW);
        fixture.given(created())
                .when(new RevokeToken(id, auditor, "looks old"))
                .expectException(CommandRejected.class)
                .expectException(org.axonframework.test.matchers.Matchers.<Throwable>predicate(e ->
                        ((CommandRejected) e).reason() == CommandRejected.Reason.FORBIDDEN))
                .expectNoEvents();
    }

    @Test
    void revokingTwiceChangesNothingAndReleasesTheName() {
        claimed.put(owner + "/ci-deploy", id);
        fixture.given(created())
                .when(new RevokeToken(id, admin, "first"))
                .expectSuccessfulHandlerExecution();
        assertThat(claimed).isEmpty();
        fixture.given(created(), new TokenRevoked(id, owner, secret.hash(), adminId, "first", NOW))
                .when(new RevokeToken(id, admin, "second"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    // Successful rotation writes two aggregates in one unit of work, which the single-aggregate fixture
    // cannot hold; TokenLifecycleFlowTest checks it over HTTP on PostgreSQL.

    @Test
    void onlyActivePermanentTokensRotate() {
        TokenSecret newSecret = TokenSecret.generate(TokenKind.PERMANENT);
        RotateToken rotate = new RotateToken(id, TokenId.random(), newSecret.hash(), newSecret.hint(),
                NOW.plus(Duration.ofDays(9)), admin);
        fixture.given(created(), new TokenRevoked(id, owner, secret.hash(), adminId, "x", NOW))
                .when(rotate)
                .expectException(CommandRejected.class)
                .expectNoEvents();
        fixture.given(new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, NOW.plusSeconds(60)))
                .when(rotate)
                .expectException(CommandRejected.class)
                .expectNoEvents();
        fixture.given(created())
                .when(new RotateToken(id, TokenId.random(), newSecret.hash(), newSecret.hint(),
                        NOW.plus(Duration.ofDays(9)), stranger))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    /** Older versions stored uses in the token's stream; a token with such a history still loads and acts. */
    @Test
    void aUseStoredByAnOlderVersionChangesNothing() {
        fixture.given(created(), new TokenUsed(id, NOW, "10.0.0.1"), new TokenUsed(id, NOW.plusSeconds(300), null))
                .when(new RevokeToken(id, admin, "leaked"))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), adminId, "leaked", NOW));
        fixture.given(created(), new TokenUsed(id, NOW, "10.0.0.1"),
                        new TokenRevoked(id, owner, secret.hash(), adminId, "x", NOW))
                .when(new RevokeToken(id, admin, "again"))
                .expectNoEvents();
    }

    @Test
    void afterItsLastWarningTheTokensTaskIsItsExpiry() {
        Instant expiry = NOW.plus(Duration.ofDays(30));
        Instant at = NOW.plus(Duration.ofDays(23));
        fixture.given(created())
                .andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(7, at));
        assertThat(warnings.due(id)).contains(expiry);
    }

    @Test
    void theTokenExpiresWhenItsTaskFiresAtItsExpiry() {
        Instant expiry = NOW.plus(Duration.ofDays(30));
        fixture.given(created())
                .andGivenCurrentTime(expiry)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(new TokenExpired(id, owner, secret.hash(), expiry));
        assertThat(warnings.due(id)).isEmpty();
    }

    @Test
    void aTemporaryTokenExpiresWhenItsTaskFires() {
        Instant end = NOW.plus(Duration.ofHours(12));
        fixture.given(new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, end))
                .andGivenCurrentTime(end)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(new TokenExpired(id, owner, secret.hash(), end));
    }

    @Test
    void aTaskFiringEarlyExpiresNothingAndIsDueAgainAtTheExpiry() {
        Instant end = NOW.plus(Duration.ofHours(12));
        fixture.given(new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, end))
                .andGivenCurrentTime(end.minusSeconds(1))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
        assertThat(warnings.due(id)).contains(end);
    }

    @Test
    void aRevokedTokenDoesNotExpireAgain() {
        Instant expiry = NOW.plus(Duration.ofDays(30));
        fixture.given(created(), new TokenRevoked(id, owner, secret.hash(), adminId, "x", NOW))
                .andGivenCurrentTime(expiry.plusSeconds(1))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
    }

    private TokenExpiryApproaching warned(int days, Instant at) {
        return new TokenExpiryApproaching(id, owner, "ci-deploy", secret.hint(), NOW.plus(Duration.ofDays(30)), days,
                at);
    }

    @Test
    void aWarningIsRecordedOnceTheThresholdIsReached() {
        Instant at = NOW.plus(Duration.ofDays(23));
        fixture.given(created())
                .andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(7, at));
    }

    @Test
    void theSameWarningIsNotRecordedTwice() {
        Instant at = NOW.plus(Duration.ofDays(23));
        fixture.given(created(), warned(7, at))
                .andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aFartherWarningAfterACloserOneIsOldNews() {
        warnings.ladder(2, 30, 7, 1);
        Instant at = NOW.plus(Duration.ofDays(29));
        fixture.given(created(), warned(1, at))
                .andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
        fixture.given(created(), warned(7, NOW.plus(Duration.ofDays(23))))
                .andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectEvents(warned(1, at));
    }

    @Test
    void aWarningBeforeItsTimeIsIgnored() {
        fixture.given(created())
                .andGivenCurrentTime(NOW.plus(Duration.ofDays(20)))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
    }

    @Test
    void revokedExpiredAndTemporaryTokensAreNotWarned() {
        Instant at = NOW.plus(Duration.ofDays(23));
        fixture.given(created(), new TokenRevoked(id, owner, secret.hash(), adminId, null, NOW))
                .andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
        fixture.given(created(), new TokenExpired(id, owner, secret.hash(), NOW.plus(Duration.ofDays(30))))
                .andGivenCurrentTime(at)
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
        fixture.given(new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, NOW.plus(Duration.ofHours(12))))
                .andGivenCurrentTime(NOW.plus(Duration.ofHours(1)))
                .when(new MarkExpiryApproaching(id))
                .expectNoEvents();
    }

    private TokenUsedFromNewAddress usedFrom(String ip, String agent, String client, Instant at, boolean alert) {
        return new TokenUsedFromNewAddress(id, owner, "ci-deploy", secret.hint(),
                NOW.plus(Duration.ofDays(30)), ip, agent, client, at, alert);
    }

    @Test
    void aPermanentTokensFirstUseFromAnAddressIsRecordedOnce() {
        Instant at = NOW.plusSeconds(5);
        fixture.given(created())
                .when(new NoteTokenAddress(id, "192.0.2.1", "curl/8", null, at))
                .expectEvents(usedFrom("192.0.2.1", "curl/8", "", at, false));
        fixture.given(created(), usedFrom("192.0.2.1", "curl/8", "", at, false))
                .when(new NoteTokenAddress(id, "192.0.2.1", "curl/8", "", at.plusSeconds(60)))
                .expectNoEvents();
    }

    @Test
    void anotherUserAgentOrClientIsAnotherAddress() {
        Instant at = NOW.plusSeconds(5);
        fixture.given(created(), usedFrom("192.0.2.1", "curl/8", "", at, false))
                .when(new NoteTokenAddress(id, "192.0.2.1", "curl/8", "billing", at))
                .expectEvents(usedFrom("192.0.2.1", "curl/8", "billing", at, false));
    }

    @Test
    void aNewAddressAlertsOnlyWhenAskedAndAfterTheTokensFirstDay() {
        warnings.set(SettingKey.ALERT_ON_NEW_ADDRESS, "true");
        Instant firstDay = NOW.plus(Duration.ofHours(24)).minusSeconds(1);
        Instant later = NOW.plus(Duration.ofHours(24));
        fixture.given(created())
                .when(new NoteTokenAddress(id, "192.0.2.1", "curl/8", "", firstDay))
                .expectEvents(usedFrom("192.0.2.1", "curl/8", "", firstDay, false));
        fixture.given(created())
                .when(new NoteTokenAddress(id, "192.0.2.1", "curl/8", "", later))
                .expectEvents(usedFrom("192.0.2.1", "curl/8", "", later, true));
        warnings.set(SettingKey.ALERT_ON_NEW_ADDRESS, "false");
        fixture.given(created())
                .when(new NoteTokenAddress(id, "192.0.2.1", "curl/8", "", later))
                .expectEvents(usedFrom("192.0.2.1", "curl/8", "", later, false));
    }

    @Test
    void aRetiredTokensLateAddressIsNotRecorded() {
        warnings.set(SettingKey.ALERT_ON_NEW_ADDRESS, "true");
        Instant later = NOW.plus(Duration.ofDays(2));
        fixture.given(created(), new TokenRevoked(id, owner, secret.hash(), adminId, "x", NOW))
                .when(new NoteTokenAddress(id, "192.0.2.1", "", "", later))
                .expectNoEvents();
    }

    @Test
    void aLoginSessionsAddressesAreNotRecorded() {
        fixture.given(new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, NOW.plusSeconds(600)))
                .when(new NoteTokenAddress(id, "192.0.2.1", "Firefox", "", NOW))
                .expectNoEvents();
    }

    private TokenInactivityApproaching inactivityWarning(Instant unusedSince) {
        return new TokenInactivityApproaching(id, owner, "ci-deploy", secret.hint(), NOW.plus(Duration.ofDays(30)),
                List.of("api"), unusedSince, unusedSince.plus(Duration.ofDays(20)), NOW);
    }

    @Test
    void anUnusedTokenIsWarnedOncePerPeriodOfDisuse() {
        Instant since = NOW.minus(Duration.ofDays(14));
        fixture.given(created())
                .when(new WarnOfInactivity(id, since, since.plus(Duration.ofDays(20))))
                .expectEvents(inactivityWarning(since));
        fixture.given(created(), inactivityWarning(since))
                .when(new WarnOfInactivity(id, since, since.plus(Duration.ofDays(20))))
                .expectNoEvents();
        Instant usedSince = NOW.minus(Duration.ofDays(13));
        fixture.given(created(), inactivityWarning(since))
                .when(new WarnOfInactivity(id, usedSince, usedSince.plus(Duration.ofDays(20))))
                .expectEvents(inactivityWarning(usedSince));
    }

    @Test
    void aRetiredTokenOrALoginSessionIsNotWarnedOfInactivity() {
        Instant since = NOW.minus(Duration.ofDays(14));
        fixture.given(created(), new TokenRevoked(id, owner, secret.hash(), adminId, "x", NOW))
                .when(new WarnOfInactivity(id, since, NOW))
                .expectNoEvents();
        fixture.given(new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, NOW.plusSeconds(600)))
                .when(new WarnOfInactivity(id, since, NOW))
                .expectNoEvents();
    }
}
