package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.query.replay.ReplayableProjection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The token inventory's segments handle a user's registration and the creation of the user's token each in a
 * transaction of its own, concurrently while catching up with a busy store. Whichever commits first, and whatever
 * either saw of the other, the token reads with its owner's username, not the owner's id.
 */
class TokenInventoryOwnerRaceTest extends IntegrationTest {
    @Autowired
    private ApplicationContext context;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void aTokenCreatedWhileItsOwnersRegistrationIsHandledElsewhereReadsWithTheUsername() throws Exception {
        check(true);
    }

    @Test
    void aTokenWhoseCreationIsHandledFirstReadsWithTheUsernameOfARegistrationHandledMeanwhile() throws Exception {
        check(false);
    }

    /**
     * Applies the two events in two transactions that overlap: the first applied event's transaction stays open
     * until the second has been applied (or 2 s have passed, should the second wait for it), then both commit.
     * The events go to the projection's handlers as its processor calls them (Axon's parameter resolvers, so
     * they write the live tables).
     */
    private void check(boolean registrationFirst) throws Exception {
        AnnotationEventHandlerAdapter inventory = new AnnotationEventHandlerAdapter(
                context.getBeansOfType(ReplayableProjection.class).values().stream()
                        .filter(p -> p.group().equals("token-inventory")).findFirst().orElseThrow(),
                context.getBean(ParameterResolverFactory.class));
        UserId owner = UserId.random();
        TokenId token = TokenId.random();
        String username = unique("racer");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EventMessage<?> registered = new GenericDomainEventMessage<>("User", owner.toString(), 0,
                new UserRegistered(owner, username, username + "@example.com", username, Role.USER, "not-a-hash"));
        EventMessage<?> created = new GenericDomainEventMessage<>("Token", token.toString(), 0,
                new PermanentTokenCreated(token, owner, "raced", new TokenHash(HexFormat.of().formatHex(new byte[32])),
                        "tlp_…race", now, owner, now.plus(30, ChronoUnit.DAYS), null));
        EventMessage<?> first = registrationFirst ? registered : created;
        EventMessage<?> second = registrationFirst ? created : registered;

        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        CountDownLatch firstApplied = new CountDownLatch(1);
        CountDownLatch secondApplied = new CountDownLatch(1);
        try {
            CompletableFuture<Void> one = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(s -> {
                handle(inventory, first);
                firstApplied.countDown();
                await(secondApplied);
            }));
            CompletableFuture<Void> two = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(s -> {
                await(firstApplied);
                handle(inventory, second);
                secondApplied.countDown();
            }));
            CompletableFuture.allOf(one, two).get(30, TimeUnit.SECONDS);

            Api.Response read = api.get("/api/tokens/" + token, adminToken());
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().get("username").asText()).isEqualTo(username);
        } finally {
            // rows of events that are not in the store: a rebuild of the inventory would drop them
            jdbc.update("DELETE FROM token_view WHERE id = ?", token.value());
            jdbc.update("DELETE FROM token_owner WHERE user_id = ?", owner.value());
        }
    }

    private static void handle(AnnotationEventHandlerAdapter handlers, EventMessage<?> event) {
        try {
            handlers.handle(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
