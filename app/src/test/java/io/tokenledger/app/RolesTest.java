package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenledger.api.user.RegisterUser;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code tokenledger.roles}: an instance runs the handlers and serves the endpoints of its roles only, next to
 * an instance with all of them on the same database.
 */
class RolesTest extends IntegrationTest {

    @Test
    void aQueryInstanceServesReadsAndRunsProjectionsButNoCommandHandlerSagaOrNotifier() throws Exception {
        String admin = adminToken();
        try (ConfigurableApplicationContext query = start("query")) {
            Api reads = api(query);
            assertThat(reads.get("/api/users", admin).status()).isEqualTo(200);
            assertThat(reads.get("/api/me", admin).json().get("username").asText()).isEqualTo("admin");

            Api.Response write = reads.post("/api/users", admin, Map.of("username", unique("nowhere"),
                    "email", "x@example.com", "role", "USER", "password", "a-long-password"));
            assertThat(write.status()).isEqualTo(503);
            assertThat(write.contentType()).startsWith("application/problem+json");
            assertThat(write.json().get("detail").asText()).contains("needs an instance with the command role");
            assertThat(reads.get("/api/faults", admin).json().get("detail").asText()).contains("notifier role");

            assertThat(processors(query)).contains("token-inventory", "credentials", "users", "audit-log", "live")
                    .doesNotContain("notifier", "active-tokens");
            assertThatThrownBy(() -> query.getBean(CommandGateway.class).sendAndWait(new RegisterUser(
                    new UserId(UUID.randomUUID()), unique("nowhere"), "x@example.com", null, Role.USER, "x")))
                    .isInstanceOf(NoHandlerForCommandException.class);
            assertThat(query.getBeanNamesForType(com.github.kagkarlsson.scheduler.Scheduler.class)).isEmpty();

            // A token used on it is recorded all the same: an instance with the command role sends the use.
            String user = unique("reader");
            String userId = api.createUser(admin, user, "USER", "a-long-password");
            String token = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "read-only"))
                    .json().get("token").asText();
            String tokenId = reads.get("/api/tokens/self", token).json().get("id").asText();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
            while (api.get("/api/tokens/" + tokenId, admin).json().path("lastUsedAt").isNull()) {
                assertThat(System.nanoTime()).as("use recorded within 15 s").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    @Test
    void aCommandAndNotifierInstanceRunsTheSagaAndTheNotifierButNoProjection() {
        String admin = adminToken();
        try (ConfigurableApplicationContext writer = start("command, notifier")) {
            Api writes = api(writer);
            String name = unique("via-writer");
            Api.Response created = writes.post("/api/users", admin, Map.of("username", name, "email",
                    name + "@example.com", "role", "USER", "password", "a-long-password"));
            assertThat(created.status()).isEqualTo(201);
            // The read is served by an instance with the query role, and already shows the write.
            assertThat(api.get("/api/users/" + created.json().get("id").asText(), admin).status()).isEqualTo(200);
            assertThat(writes.get("/api/faults", admin).status()).isEqualTo(200);
            assertThat(writes.get("/api/users", admin).status()).isEqualTo(503);

            assertThat(processors(writer)).contains("notifier", "active-tokens", "live")
                    .doesNotContain("token-inventory", "credentials", "users", "audit-log");
        }
    }

    @Test
    void anUnknownRoleStopsTheStartAndSaysWhichRolesThereAre() {
        assertThatThrownBy(() -> start("commands").close())
                .hasStackTraceContaining("tokenledger.roles has an unknown role 'commands'; the roles are command, query, notifier");
    }

    private static ConfigurableApplicationContext start(String roles) {
        return Instances.start("--tokenledger.roles=" + roles);
    }

    private static Api api(ConfigurableApplicationContext context) {
        return Instances.api(context);
    }

    private static java.util.Set<String> processors(ConfigurableApplicationContext context) {
        return context.getBean(EventProcessingConfiguration.class).eventProcessors().keySet();
    }
}
