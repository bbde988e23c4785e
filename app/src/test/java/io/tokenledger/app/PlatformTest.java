package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.command.client.Client;
import io.tokenledger.command.scope.PlatformScope;
import io.tokenledger.command.settings.SystemSettings;
import io.tokenledger.command.token.Token;
import io.tokenledger.command.user.User;
import java.util.List;
import java.util.Map;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.spring.eventsourcing.SpringPrototypeAggregateFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The platform choices DESIGN.md fixes, checked on the running application. */
class PlatformTest extends IntegrationTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    /** The embedded default starts on every laptop and server the README names: x86-64 and ARM64. */
    @Test
    void postgresBinariesShipForEveryPlatformTheReadmeNames() {
        for (String platform : new String[] {"linux-x86_64", "linux-arm_64", "darwin-x86_64", "darwin-arm_64",
                "windows-x86_64"}) {
            assertThat(getClass().getClassLoader().getResource("postgres-" + platform + ".txz")).as(platform)
                    .isNotNull();
        }
    }

    @Test
    void healthIsUpWithoutAuthentication() {
        Api.Response health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void axonDoesNotPhoneHome() {
        assertThat(context.getBeanNamesForType(org.axonframework.updates.UpdateChecker.class)).isEmpty();
        assertThat(context.getBeanNamesForType(org.axonframework.updates.UpdateCheckerHttpClient.class)).isEmpty();
    }

    /** Loading an aggregate constructs it; it is not created as a Spring prototype bean each time. */
    @Test
    void aggregatesAreCreatedWithTheirConstructor() {
        org.axonframework.config.Configuration axon = context.getBean(org.axonframework.config.Configuration.class);
        for (Class<?> type : List.of(Token.class, User.class, Client.class, PlatformScope.class,
                SystemSettings.class)) {
            assertThat(axon.repository(type)).as(type.getSimpleName()).isInstanceOfSatisfying(
                    EventSourcingRepository.class, repository -> assertThat(repository.getAggregateFactory())
                            .isNotInstanceOf(SpringPrototypeAggregateFactory.class));
        }
    }

    @Test
    void axonStoresEventsAndTokensOverJdbcInByteaColumns() {
        assertThat(context.getBean(EventStorageEngine.class)).isInstanceOf(JdbcEventStorageEngine.class);
        assertThat(context.getBean(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
        Map<String, Object> payload = jdbc.queryForMap("""
                SELECT data_type FROM information_schema.columns
                WHERE table_name = 'domain_event_entry' AND column_name = 'payload'""");
        assertThat(payload.get("data_type")).isEqualTo("bytea");
        Long increment = jdbc.queryForObject("""
                SELECT increment_by FROM pg_sequences WHERE sequencename = 'domain_event_entry_global_index_seq'""",
                Long.class);
        assertThat(increment).isEqualTo(1L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_largeobject_metadata", Long.class)).isZero();
    }

    @Test
    void eventsAreStoredAsJson() {
        adminToken();
        String payload = jdbc.queryForObject("""
                SELECT convert_from(payload, 'UTF8') FROM domain_event_entry
                WHERE payload_type LIKE '%TemporaryTokenIssued' ORDER BY global_index DESC LIMIT 1""", String.class);
        assertThat(payload).startsWith("{").contains("\"hash\"");
    }

    @Test
    void theApiIsDocumentedAsOpenApi() {
        Api.Response docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/paths").has("/api/auth/login")).isTrue();
        assertThat(docs.json().at("/paths").has("/api/users")).isTrue();
        for (String path : new String[] {"/api/settings/app-config", "/api/settings/app-config/{key}", "/api/faults",
                "/api/faults/{id}/acknowledge", "/api/notifications", "/api/audit/tokens/{id}/events",
                "/api/audit/tokens/{id}/state", "/api/audit/users/{id}/events"}) {
            assertThat(docs.json().at("/paths").has(path)).as(path).isTrue();
        }
    }
}
