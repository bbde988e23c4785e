package io.tokenledger.command.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.DescribeToken;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenDescribed;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.expiry.RecordedExpiryWarnings;
import io.tokenledger.command.scope.RecordedScopes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A token's description and tags, and revocations by a bulk revoke job: one fixture test per rule. */
class TokenLabelRulesTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final Instant EXPIRES = NOW.plus(Duration.ofDays(30));

    private final TokenId id = TokenId.random();
    private final UserId owner = UserId.random();
    private final UserId adminId = UserId.random();
    private final Actor admin = new Actor(adminId, "root", Role.ADMIN, TokenId.random(), TokenKind.TEMPORARY, NOW);
    private final Actor ownerActor = new Actor(owner, "alice", Role.USER, TokenId.random(), TokenKind.TEMPORARY, NOW);
    private final Actor stranger = new Actor(UserId.random(), "eve", Role.USER, TokenId.random(), TokenKind.TEMPORARY,
            NOW);
    private final Actor auditor = new Actor(UserId.random(), "audrey", Role.AUDITOR, TokenId.random(),
            TokenKind.TEMPORARY, NOW);
    private final TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
    private final RecordedExpiryWarnings warnings = new RecordedExpiryWarnings();
    private AggregateTestFixture<Token> fixture;

    @BeforeEach
    void setUp() {
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
        fixture.registerInjectableResource(new RecordedScopes());
        fixture.registerInjectableResource(TokenOwnersStub.enabled());
        fixture.registerInjectableResource(warnings.settings());
        fixture.registerAnnotatedCommandHandler(new NewPermanentTokens(fixture.getRepository()));
        fixture.givenCurrentTime(NOW);
        warnings.ladder(1, 7);
    }

    private static org.hamcrest.Matcher<Throwable> rejected(CommandRejected.Reason reason) {
        return Matchers.predicate(e -> e instanceof CommandRejected r && r.reason() == reason);
    }

    private PermanentTokenCreated created(String description, List<String> tags) {
        return new PermanentTokenCreated(id, owner, "ci-deploy", secret.hash(), secret.hint(), NOW, adminId, EXPIRES,
                null, Scopes.DEFAULT, description, tags);
    }

    private CreatePermanentToken create(String description, List<String> tags) {
        return new CreatePermanentToken(id, owner, "ci-deploy", secret.hash(), secret.hint(), EXPIRES, adminId,
                Scopes.DEFAULT, description, tags);
    }

    @Test
    void aTokenIsCreatedWithADescriptionAndTagsInLowerCaseWithoutDuplicates() {
        fixture.givenNoPriorActivity()
                .when(create("  Deploys the web app  ", List.of("CI", "prod", "ci", " Team-A.x_1 ")))
                .expectEvents(created("Deploys the web app", List.of("ci", "prod", "team-a.x_1")));
    }

    @Test
    void aBlankDescriptionIsNone() {
        fixture.givenNoPriorActivity()
                .when(create("   ", null))
                .expectEvents(created(null, List.of()));
    }

    @Test
    void aDescriptionLongerThan500CharactersOrNotPrintableIsRefused() {
        fixture.givenNoPriorActivity()
                .when(create("x".repeat(501), null))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("must be at most 500 characters")
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(create("bell\u0007", null))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void eachTagIsASlugOfAtMost40Characters() {
        for (String bad : List.of("", "with space", "-leading", "x".repeat(41), "ünï", "a/b")) {
            fixture.givenNoPriorActivity()
                    .when(create(null, List.of(bad)))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
        fixture.givenNoPriorActivity()
                .when(create(null, List.of("x".repeat(40))))
                .expectEvents(created(null, List.of("x".repeat(40))));
    }

    @Test
    void atMostTenDistinctTags() {
        List<String> eleven = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("t" + i);
        }
        fixture.givenNoPriorActivity()
                .when(create(null, eleven))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("must be at most 10 distinct tags")
                .expectNoEvents();
        List<String> tenTwice = new java.util.ArrayList<>(eleven.subList(0, 10));
        tenTwice.addAll(eleven.subList(0, 10));
        fixture.givenNoPriorActivity()
                .when(create(null, tenTwice))
                .expectEvents(created(null, eleven.subList(0, 10)));
    }

    @Test
    void theOwnerChangesTheDescriptionAndLeavesTheTagsAsTheyAre() {
        fixture.given(created("old", List.of("ci")))
                .when(new DescribeToken(id, ownerActor, "new", null))
                .expectEvents(new TokenDescribed(id, owner, "new", List.of("ci"), owner, NOW));
    }

    @Test
    void anAdminClearsTheDescriptionWithABlankOneAndTheTagsWithAnEmptyList() {
        fixture.given(created("old", List.of("ci")))
                .when(new DescribeToken(id, admin, "", List.of()))
                .expectEvents(new TokenDescribed(id, owner, null, List.of(), adminId, NOW));
    }

    @Test
    void aChangeThatChangesNothingRecordsNothing() {
        fixture.given(created("same", List.of("ci")))
                .when(new DescribeToken(id, ownerActor, "same", List.of("CI", "ci")))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anInvalidChangeIsRefused() {
        fixture.given(created(null, List.of()))
                .when(new DescribeToken(id, ownerActor, null, List.of("no spaces")))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void anotherUserFindsNoSuchTokenAndAnAuditorIsForbidden() {
        fixture.given(created(null, List.of()))
                .when(new DescribeToken(id, stranger, "mine now", null))
                .expectException(rejected(CommandRejected.Reason.NOT_FOUND))
                .expectNoEvents();
        fixture.given(created(null, List.of()))
                .when(new DescribeToken(id, auditor, "mine now", null))
                .expectException(rejected(CommandRejected.Reason.FORBIDDEN))
                .expectNoEvents();
    }

    @Test
    void onlyAnActiveTokenChangesItsLabels() {
        fixture.given(created(null, List.of()),
                        new TokenRevoked(id, owner, secret.hash(), adminId, null, NOW))
                .when(new DescribeToken(id, ownerActor, "too late", null))
                .expectException(rejected(CommandRejected.Reason.CONFLICT))
                .expectNoEvents();
        fixture.given(created(null, List.of()), new TokenExpired(id, owner, secret.hash(), EXPIRES))
                .when(new DescribeToken(id, ownerActor, "too late", null))
                .expectException(rejected(CommandRejected.Reason.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void aTemporaryTokenHasNoLabels() {
        fixture.given(new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, NOW.plusSeconds(3600)))
                .when(new DescribeToken(id, ownerActor, "session", null))
                .expectException(rejected(CommandRejected.Reason.CONFLICT))
                .expectNoEvents();
    }

    @Test
    void aRevocationByAJobNamesTheJobAndHappensOnce() {
        UUID job = UUID.randomUUID();
        fixture.given(created(null, List.of()))
                .when(new RevokeToken(id, admin, "BULK: offboarding", job))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), adminId, "BULK: offboarding", NOW, job));
        fixture.given(created(null, List.of()),
                        new TokenRevoked(id, owner, secret.hash(), adminId, "BULK: offboarding", NOW, job))
                .when(new RevokeToken(id, admin, "BULK: offboarding", job))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void theLabelsAreSourcedIntoTheState() {
        fixture.given(created("old", List.of("ci")), new TokenDescribed(id, owner, "new", List.of("prod"), owner, NOW))
                .when(new DescribeToken(id, ownerActor, null, List.of("prod")))
                .expectNoEvents()
                .expectState(token -> {
                    assertThat(token.state().description()).isEqualTo("new");
                    assertThat(token.state().tags()).isEqualTo(List.of("prod"));
                });
    }
}
