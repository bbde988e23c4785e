package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.client.ClientSecret;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Clients over real HTTP: registered, listed without their secret, rotated, disabled and enabled, audited. */
class ClientsFlowTest extends IntegrationTest {

    @Test
    void anAdminRegistersAClientWhoseSecretIsShownOnce() {
        String admin = adminToken();
        String auditor = api.login(userWithRole(admin, "AUDITOR"), Api.PASSWORD);
        Api.Response registered = api.post("/api/clients", admin, Map.of("name", "billing gateway"));
        assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
        JsonNode body = registered.json();
        String id = body.get("id").asText();
        String secret = body.get("clientSecret").asText();
        assertThat(secret).matches("tlc_[0-9A-Za-z]{38}");
        assertThat(ClientSecret.isWellFormed(secret)).isTrue();
        assertThat(body.get("clientId").asText()).matches("[0-9a-z]{20}");
        assertThat(body.get("name").asText()).isEqualTo("billing gateway");
        assertThat(body.hasNonNull("createdAt")).isTrue();
        assertThat(registered.header("Cache-Control")).contains("no-store");
        assertThat(registered.header("Location")).isEqualTo("/api/clients/" + id);

        Api.Response one = api.get("/api/clients/" + id, auditor);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("clientId").asText()).isEqualTo(body.get("clientId").asText());
        assertThat(one.json().get("status").asText()).isEqualTo("ENABLED");
        assertThat(one.json().get("createdBy").asText()).isNotBlank();
        assertThat(one.json().has("lastUsedAt")).isTrue();
        assertThat(one.raw()).doesNotContain(secret).doesNotContain(secret.substring(4, 36));
        JsonNode list = api.get("/api/clients?size=200", admin).json();
        assertThat(list.get("total").asLong()).isPositive();
        assertThat(list.toString()).contains(id).doesNotContain(secret.substring(4, 36));

        JsonNode events = api.get("/api/audit/events?type=ClientRegistered&size=200", admin).json();
        assertThat(events.toString()).contains(id).doesNotContain(ClientSecret.hashOf(secret).hex());
    }

    @Test
    void aRotationGivesANewSecretOnceAndDisableAndEnableSwitchTheStatus() {
        String admin = adminToken();
        JsonNode body = api.post("/api/clients", admin, Map.of("name", "rotating")).json();
        String id = body.get("id").asText();

        Api.Response rotated = api.post("/api/clients/" + id + "/rotate-secret", admin, null);
        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.json().get("clientSecret").asText()).matches("tlc_[0-9A-Za-z]{38}")
                .isNotEqualTo(body.get("clientSecret").asText());
        assertThat(rotated.json().get("clientId").asText()).isEqualTo(body.get("clientId").asText());

        Api.Response disabled = api.post("/api/clients/" + id + "/disable", admin, null);
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("status").asText()).isEqualTo("DISABLED");
        assertThat(api.post("/api/clients/" + id + "/disable", admin, null).json().get("status").asText())
                .isEqualTo("DISABLED");
        assertThat(api.post("/api/clients/" + id + "/enable", admin, null).json().get("status").asText())
                .isEqualTo("ENABLED");
        JsonNode history = api.get("/api/audit/events?size=200&type=ClientSecretRotated", admin).json();
        assertThat(history.toString()).contains(id);
    }

    @Test
    void badNamesAndUnknownIdsAreRefused() {
        String admin = adminToken();
        Api.Response empty = api.post("/api/clients", admin, Map.of("name", " "));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().at("/errors/0/field").asText()).isEqualTo("name");
        String unknown = UUID.randomUUID().toString();
        assertThat(api.get("/api/clients/" + unknown, admin).status()).isEqualTo(404);
        for (String action : new String[] {"rotate-secret", "disable", "enable"}) {
            assertThat(api.post("/api/clients/" + unknown + "/" + action, admin, null).status()).isEqualTo(404);
        }
        // another aggregate's id is no client either
        String user = api.createUser(admin, unique("notaclient"), "USER", Api.PASSWORD);
        String tokenId = api.post("/api/users/" + user + "/tokens", admin, Map.of("name", "t")).json().get("id")
                .asText();
        assertThat(api.post("/api/clients/" + tokenId + "/disable", admin, null).status()).isEqualTo(404);
    }

    private String userWithRole(String admin, String role) {
        String name = unique("c-" + role.toLowerCase());
        api.createUser(admin, name, role, Api.PASSWORD);
        return name;
    }
}
