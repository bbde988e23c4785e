package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scopes over real HTTP: registered by admins, carried by tokens, enforced on Token Ledger's own API. */
class ScopesFlowTest extends IntegrationTest {

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> names(JsonNode scopes) {
        List<String> out = new ArrayList<>();
        scopes.forEach(n -> out.add(n.get("name").asText()));
        return out;
    }

    @Test
    void adminsRegisterScopesEveryoneListsThemAndDuplicatesOrBadNamesAreRefused() {
        String admin = adminToken();
        String user = api.login(userNamed(admin, "lister"), Api.PASSWORD);
        String scope = unique("deploy");

        Api.Response registered = api.post("/api/scopes", admin, Map.of("name", scope, "description", "Deploys"));
        assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
        assertThat(registered.json().get("name").asText()).isEqualTo(scope);
        assertThat(registered.json().get("description").asText()).isEqualTo("Deploys");
        assertThat(registered.json().get("builtIn").asBoolean()).isFalse();
        assertThat(registered.json().get("createdAt").isNull()).isFalse();

        JsonNode listed = api.get("/api/scopes", user).json();
        assertThat(names(listed)).startsWith("api", "read_api").contains(scope);
        assertThat(listed.get(0).get("builtIn").asBoolean()).isTrue();

        assertThat(api.post("/api/scopes", admin, Map.of("name", scope, "description", "again")).status())
                .isEqualTo(409);
        assertThat(api.post("/api/scopes", admin, Map.of("name", "read_api", "description", "")).status())
                .isEqualTo(409);
        Api.Response bad = api.post("/api/scopes", admin, Map.of("name", "Not A Scope", "description", ""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("name");
        assertThat(names(api.get("/api/scopes", user).json())).doesNotContain("Not A Scope");
        assertThat(api.post("/api/scopes", user, Map.of("name", unique("mine"), "description", "")).status())
                .isEqualTo(403);
    }

    @Test
    void aTokenCarriesItsScopesInEveryViewAndTokensWithoutThemGetApi() {
        String admin = adminToken();
        String scope = register(admin, "view");
        String owner = api.createUser(admin, unique("scoped"), "USER", Api.PASSWORD);

        Api.Response plain = api.post("/api/users/" + owner + "/tokens", admin, Map.of("name", "plain"));
        assertThat(strings(plain.json().get("scopes"))).containsExactly("api");

        Api.Response created = api.post("/api/users/" + owner + "/tokens", admin,
                Map.of("name", "scoped", "scopes", List.of("read_api", scope, "read_api")));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(strings(created.json().get("scopes"))).containsExactly("read_api", scope);
        String id = created.json().get("id").asText();

        assertThat(strings(api.get("/api/tokens/" + id, admin).json().get("scopes")))
                .containsExactly("read_api", scope);
        JsonNode filtered = api.get("/api/tokens?scope=" + scope, admin).json();
        assertThat(filtered.get("total").asLong()).isOne();
        assertThat(filtered.at("/items/0/id").asText()).isEqualTo(id);
        JsonNode events = api.get("/api/audit/tokens/" + id + "/events", admin).json();
        assertThat(strings(events.at("/0/payload/scopes"))).containsExactly("read_api", scope);
        JsonNode state = api.get("/api/audit/tokens/" + id + "/state?at=" + java.time.Instant.now(), admin).json();
        assertThat(state.toString()).contains(scope);
        // the console's token tables and the token's history page
        assertThat(api.get("/admin/users/" + owner, admin).raw()).contains("<th scope=\"col\">Scopes</th>")
                .contains(">read_api " + scope + "<");
        assertThat(api.get("/access/tokens/" + id + "/audit", admin).raw()).contains(">read_api " + scope + "<");
    }

    @Test
    void anUnknownOrMalformedScopeIsA400AndNothingIsCreated() {
        String admin = adminToken();
        String owner = api.createUser(admin, unique("unknown"), "USER", Api.PASSWORD);
        for (Object scopes : List.of(List.of("api", unique("never")), List.of("API"), List.of())) {
            Api.Response refused = api.post("/api/users/" + owner + "/tokens", admin,
                    Map.of("name", "refused", "scopes", scopes));
            assertThat(refused.status()).as("%s: %s", scopes, refused.raw()).isEqualTo(400);
            assertThat(refused.json().at("/errors/0/field").asText()).isEqualTo("scopes");
        }
        assertThat(api.get("/api/users/" + owner + "/tokens", admin).json().get("total").asLong()).isZero();
    }

    @Test
    void aReadApiTokenReadsButMayNotWriteAndAPlatformScopeGrantsNothingHere() {
        String admin = adminToken();
        String scope = register(admin, "platform");
        String ownerId = api.createUser(admin, unique("reader"), "ADMIN", Api.PASSWORD);
        Api.Response reader = api.post("/api/users/" + ownerId + "/tokens", admin,
                Map.of("name", "reader", "scopes", List.of("read_api")));
        String readToken = reader.json().get("token").asText();
        String platformToken = api.post("/api/users/" + ownerId + "/tokens", admin,
                Map.of("name", "platform", "scopes", List.of(scope))).json().get("token").asText();

        assertThat(api.get("/api/me", readToken).status()).isEqualTo(200);
        assertThat(api.get("/api/users", readToken).status()).as("an ADMIN's role still applies").isEqualTo(200);
        Api.Response write = api.post("/api/users/" + ownerId + "/tokens", readToken, Map.of("name", "more"));
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.header("WWW-Authenticate")).startsWith("Bearer").contains("error=\"insufficient_scope\"")
                .contains("scope=\"api\"");
        assertThat(write.contentType()).startsWith("application/problem+json");
        Api.Response selfRevoke = api.post("/api/tokens/" + reader.json().get("id").asText() + "/revoke",
                readToken, Map.of());
        assertThat(selfRevoke.status()).isEqualTo(403);
        assertThat(api.get("/api/tokens/self", readToken).json().get("status").asText()).isEqualTo("ACTIVE");

        Api.Response platformRead = api.get("/api/me", platformToken);
        assertThat(platformRead.status()).isEqualTo(403);
        assertThat(platformRead.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
                .contains("scope=\"read_api\"");
        assertThat(api.get("/api/tokens/self", platformToken).status()).isEqualTo(403);
    }

    @Test
    void aRotationKeepsTheScopesUnlessGivenNewOnes() {
        String admin = adminToken();
        String scope = register(admin, "rotate");
        String owner = api.createUser(admin, unique("rotor"), "USER", Api.PASSWORD);
        String id = api.post("/api/users/" + owner + "/tokens", admin,
                Map.of("name", "rotating", "scopes", List.of("read_api", scope))).json().get("id").asText();

        Api.Response kept = api.post("/api/tokens/" + id + "/rotate", admin, Map.of());
        assertThat(kept.status()).as(kept.raw()).isEqualTo(201);
        assertThat(strings(kept.json().get("scopes"))).containsExactly("read_api", scope);

        Api.Response changed = api.post("/api/tokens/" + kept.json().get("id").asText() + "/rotate", admin,
                Map.of("scopes", List.of("api")));
        assertThat(changed.status()).isEqualTo(201);
        assertThat(strings(changed.json().get("scopes"))).containsExactly("api");
        assertThat(strings(api.get("/api/tokens/" + changed.json().get("id").asText(), admin).json()
                .get("scopes"))).containsExactly("api");

        Api.Response unknown = api.post("/api/tokens/" + changed.json().get("id").asText() + "/rotate", admin,
                Map.of("scopes", List.of(unique("never"))));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(api.get("/api/tokens/" + changed.json().get("id").asText(), admin).json().get("status").asText())
                .as("a refused rotation leaves the token as it was").isEqualTo("ACTIVE");
    }

    @Test
    void aScopeAnActiveTokenCarriesIsNotDeletedAndADeletedOneCannotBeGiven() {
        String admin = adminToken();
        String scope = register(admin, "gone");
        String owner = api.createUser(admin, unique("holder"), "USER", Api.PASSWORD);
        String id = api.post("/api/users/" + owner + "/tokens", admin,
                Map.of("name", "holder", "scopes", List.of(scope))).json().get("id").asText();

        Api.Response held = api.delete("/api/scopes/" + scope, admin);
        assertThat(held.status()).as(held.raw()).isEqualTo(409);
        assertThat(api.post("/api/tokens/" + id + "/revoke", admin, Map.of()).status()).isEqualTo(200);
        assertThat(api.delete("/api/scopes/" + scope, admin).status()).isEqualTo(204);
        assertThat(names(api.get("/api/scopes", admin).json())).doesNotContain(scope);
        assertThat(api.delete("/api/scopes/" + scope, admin).status()).isEqualTo(404);
        assertThat(api.delete("/api/scopes/api", admin).status()).isEqualTo(409);
        assertThat(api.post("/api/users/" + owner + "/tokens", admin,
                Map.of("name", "late", "scopes", List.of(scope))).status()).isEqualTo(400);

        // registered again, it may be given again
        assertThat(api.post("/api/scopes", admin, Map.of("name", scope, "description", "back")).status())
                .isEqualTo(201);
        assertThat(api.post("/api/users/" + owner + "/tokens", admin,
                Map.of("name", "late", "scopes", List.of(scope))).status()).isEqualTo(201);
    }

    private String register(String admin, String prefix) {
        String scope = unique(prefix);
        assertThat(api.post("/api/scopes", admin, Map.of("name", scope, "description", prefix)).status())
                .isEqualTo(201);
        return scope;
    }

    private String userNamed(String admin, String prefix) {
        String name = unique(prefix);
        api.createUser(admin, name, "USER", Api.PASSWORD);
        return name;
    }
}
