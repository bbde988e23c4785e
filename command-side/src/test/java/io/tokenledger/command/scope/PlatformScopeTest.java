package io.tokenledger.command.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.scope.DeleteScope;
import io.tokenledger.api.scope.RegisterScope;
import io.tokenledger.api.scope.ScopeDeleted;
import io.tokenledger.api.scope.ScopeRegistered;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The platform scope rules: a well-formed name, not built in, registered once; deleted only while unused. */
class PlatformScopeTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    private final UserId admin = UserId.random();
    private final RecordedScopes catalog = new RecordedScopes();
    private AggregateTestFixture<PlatformScope> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PlatformScope.class);
        fixture.registerInjectableResource(catalog);
        fixture.givenCurrentTime(NOW);
    }

    @Test
    void aScopeIsRegisteredWithItsDescriptionAndEntersTheCatalog() {
        fixture.givenNoPriorActivity()
                .when(new RegisterScope("deploy", " Deploys services ", admin))
                .expectEvents(new ScopeRegistered("deploy", "Deploys services", admin, NOW));
        assertThat(catalog.isRegistered("deploy")).isTrue();
    }

    @Test
    void aRegisteredScopeCannotBeRegisteredAgain() {
        fixture.given(new ScopeRegistered("deploy", "", admin, NOW))
                .when(new RegisterScope("deploy", "again", admin))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("the scope 'deploy' is already registered")
                .expectNoEvents();
    }

    @Test
    void builtInScopesAreNotRegistered() {
        fixture.givenNoPriorActivity()
                .when(new RegisterScope("read_api", "", admin))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("'read_api' is a built-in scope");
    }

    @Test
    void aNameMustMatchThePattern() {
        for (String bad : new String[] {"Deploy", "1deploy", "dé", "a b", "a".repeat(65), ""}) {
            setUp();
            fixture.givenNoPriorActivity()
                    .when(new RegisterScope(bad, "", admin))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
        setUp();
        fixture.givenNoPriorActivity()
                .when(new RegisterScope("a" + "b".repeat(63), "", admin))
                .expectSuccessfulHandlerExecution();
        setUp();
        fixture.givenNoPriorActivity()
                .when(new RegisterScope("deploy:prod.eu-1_x", "", admin))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aDescriptionMustBePrintableAndShort() {
        fixture.givenNoPriorActivity()
                .when(new RegisterScope("deploy", "bad\u0000", admin))
                .expectException(CommandRejected.class);
        setUp();
        fixture.givenNoPriorActivity()
                .when(new RegisterScope("deploy", "x".repeat(501), admin))
                .expectException(CommandRejected.class);
    }

    @Test
    void anUnusedScopeIsDeletedAndLeavesTheCatalog() {
        catalog.registered("deploy");
        fixture.given(new ScopeRegistered("deploy", "", admin, NOW))
                .when(new DeleteScope("deploy", admin))
                .expectEvents(new ScopeDeleted("deploy", admin, NOW));
        assertThat(catalog.isRegistered("deploy")).isFalse();
    }

    @Test
    void aScopeAnActiveTokenCarriesIsNotDeleted() {
        catalog.registered("deploy").held("deploy");
        fixture.given(new ScopeRegistered("deploy", "", admin, NOW))
                .when(new DeleteScope("deploy", admin))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("an active token carries the scope 'deploy'")
                .expectNoEvents();
    }

    @Test
    void aDeletedScopeMayBeRegisteredAgainButNotDeletedTwice() {
        fixture.given(new ScopeRegistered("deploy", "", admin, NOW), new ScopeDeleted("deploy", admin, NOW))
                .when(new DeleteScope("deploy", admin))
                .expectException(CommandRejected.class)
                .expectNoEvents();
        setUp();
        fixture.given(new ScopeRegistered("deploy", "", admin, NOW), new ScopeDeleted("deploy", admin, NOW))
                .when(new RegisterScope("deploy", "back", admin))
                .expectEvents(new ScopeRegistered("deploy", "back", admin, NOW));
    }
}
