package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What users type into a name search is text, not a LIKE pattern; an owner's e-mail address is held to the same
 * single rule as the App Config's notification addresses.
 */
class SearchAndAddressInputTest extends IntegrationTest {

    private List<String> namesFound(String admin, String userId, String q) {
        Api.Response found = api.get("/api/tokens?userId=" + userId + "&size=200&q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8), admin);
        assertThat(found.status()).as(found.raw()).isEqualTo(200);
        return StreamSupport.stream(found.json().get("items").spliterator(), false)
                .map(t -> t.get("name").asText()).toList();
    }

    private void token(String admin, String userId, String name) {
        assertThat(api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", name)).status()).isEqualTo(201);
    }

    @Test
    void aSearchForPercentOrUnderscoreOrBackslashMatchesThatCharacterNotAnyText() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("searcher"), "USER", Api.PASSWORD);
        for (String name : List.of("50% off", "500 off", "ci_deploy", "cixdeploy", "path\\to", "pathto")) {
            token(admin, userId, name);
        }
        assertThat(namesFound(admin, userId, "%")).containsExactly("50% off");
        assertThat(namesFound(admin, userId, "0%")).containsExactly("50% off");
        assertThat(namesFound(admin, userId, "_")).containsExactly("ci_deploy");
        assertThat(namesFound(admin, userId, "ci_d")).containsExactly("ci_deploy");
        assertThat(namesFound(admin, userId, "\\")).containsExactly("path\\to");
        assertThat(namesFound(admin, userId, "%%")).isEmpty();
        assertThat(namesFound(admin, userId, "CI_DEPLOY")).containsExactly("ci_deploy");
    }

    @Test
    void aSearchForANameAsWrittenFindsItWhateverItsLetters() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("searcher"), "USER", Api.PASSWORD);
        token(admin, userId, "İstanbul deploy");
        token(admin, userId, "Ankara deploy");
        // Java lowers "İ" to "i" and a combining dot; the database does not: only one side may do the lowering.
        assertThat(namesFound(admin, userId, "İstanbul")).containsExactly("İstanbul deploy");
        assertThat(namesFound(admin, userId, "İstanbul deploy")).containsExactly("İstanbul deploy");
    }

    @Test
    void anOwnerAddressTheAppConfigWouldRefuseIsRefusedAtRegistrationAndNothingIsCreated() {
        String admin = adminToken();
        for (String address : List.of("\"john doe\"@example.com", "alice@[127.0.0.1]", "alice@exa_mple.com",
                "ålice@example.com", "alice@example..com", "alice@-example.com")) {
            // the App Config refuses it
            Api.Response setting = api.put(SettingsFlowTest.path(SettingsFlowTest.EMAILS), admin,
                    Map.of("value", address));
            assertThat(setting.status()).as("App Config: %s", address).isEqualTo(400);
            // and so does registering an owner with it
            String username = unique("owner");
            Api.Response registered = api.post("/api/users", admin, Map.of("username", username, "email", address,
                    "role", "USER", "password", Api.PASSWORD));
            assertThat(registered.status()).as("owner e-mail %s: %s", address, registered.raw()).isEqualTo(400);
            assertThat(registered.contentType()).startsWith("application/problem+json");
            JsonNode errors = registered.json().get("errors");
            assertThat(errors.findValuesAsText("field")).containsExactly("email");
            assertThat(errors.findValuesAsText("message").get(0)).contains("e-mail address");
            // nothing was created: the name is still free, and a valid address goes through
            assertThat(api.get("/api/users?size=200", admin).json().get("items").findValuesAsText("username"))
                    .doesNotContain(username);
            assertThat(api.post("/api/users", admin, Map.of("username", username, "email", "owner@example.com",
                    "role", "USER", "password", Api.PASSWORD)).status()).isEqualTo(201);
        }
        api.delete(SettingsFlowTest.path(SettingsFlowTest.EMAILS), admin);
    }

    @Test
    void anAddressTheAppConfigAcceptsIsAcceptedForAnOwnerToo() {
        String admin = adminToken();
        for (String address : List.of("o'brien+tokens@example.com", "ops@localhost", "a.b-c@sub.example-host.org")) {
            assertThat(api.put(SettingsFlowTest.path(SettingsFlowTest.EMAILS), admin, Map.of("value", address))
                    .status()).as("App Config: %s", address).isEqualTo(200);
            Api.Response registered = api.post("/api/users", admin, Map.of("username", unique("owner"),
                    "email", address, "role", "USER", "password", Api.PASSWORD));
            assertThat(registered.status()).as("owner e-mail %s: %s", address, registered.raw()).isEqualTo(201);
        }
        api.delete(SettingsFlowTest.path(SettingsFlowTest.EMAILS), admin);
    }
}
