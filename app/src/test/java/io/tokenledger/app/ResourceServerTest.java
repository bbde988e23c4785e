package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.example.inventory.InventoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real resource server trusting Token Ledger: a Spring Boot service with {@code spring-boot-starter-oauth2-resource-server}
 * and opaque token introspection, pointed at the running ledger by its properties alone. A token is let in where
 * its scopes allow, refused with 403 where they do not, and refused with 401 within a second of its revocation.
 */
class ResourceServerTest extends IntegrationTest {
    private ConfigurableApplicationContext inventory;
    private Api service;
    private String admin;

    @BeforeEach
    void startTheService() {
        admin = adminToken();
        JsonNode client = api.post("/api/clients", admin, Map.of("name", unique("inventory"))).json();
        for (String scope : List.of("inventory.read", "inventory.write")) {
            int status = api.post("/api/scopes", admin, Map.of("name", scope, "description", scope)).status();
            assertThat(status).as("registering %s", scope).isIn(201, 409);
        }
        inventory = new SpringApplicationBuilder(InventoryService.class).web(WebApplicationType.SERVLET).run(
                "--server.port=0",
                // its own configuration, not Token Ledger's application.yml on the shared class path
                "--spring.config.name=inventory",
                "--tokenledger.embedded-postgres.enabled=false", "--tokenledger.embedded-smtp.enabled=false",
                "--spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=http://localhost:" + port
                        + "/api/oauth/introspect",
                "--spring.security.oauth2.resourceserver.opaquetoken.client-id=" + client.get("clientId").asText(),
                "--spring.security.oauth2.resourceserver.opaquetoken.client-secret="
                        + client.get("clientSecret").asText());
        service = Instances.api(inventory);
    }

    @AfterEach
    void stopTheService() {
        if (inventory != null) {
            inventory.close();
        }
    }

    @Test
    void aScopedTokenIsLetInWhereItsScopeAllowsRefusedWhereNotAndRefusedWithinASecondOfItsRevocation() {
        String name = unique("reader");
        String userId = api.createUser(admin, name, "USER", Api.PASSWORD);
        JsonNode reader = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "inventory reader", "scopes", List.of("inventory.read"))).json();
        String token = reader.get("token").asText();

        Api.Response read = service.get("/items", token);
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        assertThat(read.json().get("for").asText()).isEqualTo(name);

        Api.Response write = service.post("/items", token, Map.of());
        assertThat(write.status()).as("its scope does not allow a write").isEqualTo(403);
        assertThat(write.header("WWW-Authenticate")).contains("insufficient_scope");

        String writer = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "inventory writer", "scopes", List.of("inventory.read", "inventory.write"))).json()
                .get("token").asText();
        assertThat(service.post("/items", writer, Map.of()).status()).isEqualTo(200);
        assertThat(service.get("/items", api.login(name, Api.PASSWORD)).status())
                .as("a login session's token (scope api) grants nothing here").isEqualTo(403);
        assertThat(service.get("/items", null).status()).isEqualTo(401);
        assertThat(service.get("/items", "tlp_notatoken").status()).isEqualTo(401);

        assertThat(api.post("/api/tokens/" + reader.get("id").asText() + "/revoke", admin,
                Map.of("reason", "leaked")).status()).isEqualTo(200);
        long revokedAt = System.nanoTime();
        Api.Response after = service.get("/items", token);
        long millis = (System.nanoTime() - revokedAt) / 1_000_000;
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        assertThat(millis).as("refused within a second of the revocation").isLessThan(1000);
        assertThat(service.post("/items", writer, Map.of()).status()).as("other tokens unaffected").isEqualTo(200);
    }
}
