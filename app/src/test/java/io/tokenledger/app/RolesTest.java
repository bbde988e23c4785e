package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenledger.api.token.PermanentTokenCreated;
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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code tokenledger.roles}: an instance runs the handlers and serves the endpoints of its roles only, next to
 * an instance with all of them on the same database.
 */
class RolesTest extends IntegrationTest {

    @Test
    void aQueryInstanceServesReadsAndRunsTheAuditChainButNoCommandHandlerSchedulerOrMailSender() throws Exception {
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

            assertThat(processors(query)).contains("audit-chain", "live").doesNotContain("active-tokens");
            assertThat(query.containsBean("outboxSender")).as("the e-mail sender runs on the notifier role").isFalse();
            assertThatThrownBy(() -> query.getBean(CommandGateway.class).sendAndWait(new RegisterUser(
                    new UserId(UUID.randomUUID()), unique("nowhere"), "x@example.com", null, Role.USER, "x")))
                    .isInstanceOf(NoHandlerForCommandException.class);
            assertThat(query.getBeanNamesForType(com.github.kagkarlsson.scheduler.Scheduler.class)).isEmpty();

            // A token used on it has its last use recorded all the same, by the query instance itself: a use is
            // written to token_usage by whichever instance sees it, with no command and no event.
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
            assertThat(api.get("/api/tokens/" + tokenId, admin).json().get("lastUsedIp").asText())
                    .isEqualTo("127.0.0.1");
            JdbcTemplate jdbc = query.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE aggregate_identifier = ?",
                    String.class, tokenId)).as("the token's stream").containsExactly(
                    PermanentTokenCreated.class.getName());
        }
    }

    @Test
    void aCommandAndNotifierInstanceWritesTheReadModelsWithItsCommandsAndRunsTheNotifier() {
        String admin = adminToken();
        try (ConfigurableApplicationContext writer = start("command, notifier")) {
            Api writes = api(writer);
            String name = unique("via-writer");
            Api.Response created = writes.post("/api/users", admin, Map.of("username", name, "email",
                    name + "@example.com", "role", "USER", "password", "a-long-password"));
            assertThat(created.status()).isEqualTo(201);
            // The read is served by an instance with the query role, and already shows the write: the writer wrote
            // the read models in the command's own transaction.
            assertThat(api.get("/api/users/" + created.json().get("id").asText(), admin).status()).isEqualTo(200);
            assertThat(writes.get("/api/faults", admin).status()).isEqualTo(200);
            assertThat(writer.containsBean("outboxSender")).isTrue();
            assertThat(writes.get("/api/users", admin).status()).isEqualTo(503);

            assertThat(processors(writer)).contains("notifier", "active-tokens", "live",
                    "token-inventory", "credentials", "users", "audit-log").doesNotContain("audit-chain");
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
