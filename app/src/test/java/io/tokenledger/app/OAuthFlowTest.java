package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OAuth 2.0 endpoints as a resource server calls them, over real HTTP: introspection (RFC 7662) with both client
 * authentication methods, revocation (RFC 7009) and the metadata (RFC 8414).
 */
class OAuthFlowTest extends IntegrationTest {

    /** A registered client: its public id and its secret. */
    record Client(String id, String clientId, String secret) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                    + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private Client client(String admin) {
        JsonNode body = api.post("/api/clients", admin, Map.of("name", unique("rs"))).json();
        return new Client(body.get("id").asText(), body.get("clientId").asText(), body.get("clientSecret").asText());
    }

    private static String form(String... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parts.add(pairs[i] + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", parts);
    }

    private Api.Response introspect(Client client, String token) {
        return api.call("POST", "/api/oauth/introspect", form("token", token),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", client.basic()));
    }

    private Api.Response introspectByForm(Client client, String token) {
        return api.call("POST", "/api/oauth/introspect",
                form("token", token, "client_id", client.clientId(), "client_secret", client.secret()),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    @Test
    void anActiveTokenIsDescribedWithExactlyTheFieldsOfTheContract() {
        String admin = adminToken();
        Client client = client(admin);
        String scope = unique("deploy");
        assertThat(api.post("/api/scopes", admin, Map.of("name", scope, "description", "")).status()).isEqualTo(201);
        String name = unique("svc");
        String userId = api.createUser(admin, name, "USER", Api.PASSWORD);
        JsonNode created = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "ci", "scopes", List.of("read_api", scope))).json();
        String token = created.get("token").asText();

        for (Api.Response answer : List.of(introspect(client, token), introspectByForm(client, token))) {
            assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
            assertThat(answer.contentType()).startsWith("application/json");
            assertThat(answer.header("Cache-Control")).contains("no-store");
            JsonNode body = answer.json();
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("active", "scope", "username", "sub", "token_type", "exp", "iat",
                    "jti", "iss");
            assertThat(body.get("active").asBoolean()).isTrue();
            assertThat(body.get("scope").asText()).isEqualTo("read_api " + scope);
            assertThat(body.get("username").asText()).isEqualTo(name);
            assertThat(body.get("sub").asText()).isEqualTo(userId);
            assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.get("exp").asLong())
                    .isEqualTo(Instant.parse(created.get("expiresAt").asText()).getEpochSecond());
            assertThat(body.get("iat").asLong())
                    .isEqualTo(Instant.parse(created.get("createdAt").asText()).getEpochSecond());
            assertThat(body.get("jti").asText()).isEqualTo(created.get("id").asText());
            assertThat(body.get("iss").asText()).isEqualTo("https://console.tokenledger.test");
        }

        // a login session's token is active too, with the scope api
        String session = api.login(name, Api.PASSWORD);
        assertThat(introspect(client, session).json().get("scope").asText()).isEqualTo("api");
    }

    @Test
    void anyTokenThatIsNotActiveIsJustActiveFalse() throws InterruptedException {
        String admin = adminToken();
        Client client = client(admin);
        String userId = api.createUser(admin, unique("gone"), "USER", Api.PASSWORD);
        JsonNode revoked = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "revoked")).json();
        api.post("/api/tokens/" + revoked.get("id").asText() + "/revoke", admin, Map.of());
        JsonNode expiring = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "short", "expiresAt", Instant.now().plusSeconds(2).toString())).json();
        String otherUser = api.createUser(admin, unique("disabled"), "USER", Api.PASSWORD);
        String ofDisabled = api.post("/api/users/" + otherUser + "/tokens", admin, Map.of("name", "d")).json()
                .get("token").asText();
        api.post("/api/users/" + otherUser + "/disable", admin, null);
        String wellFormedUnknown = TokenSecret.generate(TokenKind.PERMANENT).reveal();
        String badChecksum = wellFormedUnknown.substring(0, 41) + (wellFormedUnknown.endsWith("A") ? "B" : "A");
        Thread.sleep(2100);

        for (String token : List.of("", "garbage", badChecksum, wellFormedUnknown, revoked.get("token").asText(),
                expiring.get("token").asText(), ofDisabled, client.secret())) {
            Api.Response answer = token.isEmpty() ? null : introspect(client, token);
            if (answer == null) {
                continue;
            }
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.raw()).as("introspection of %s", token.length() > 8 ? token.substring(0, 8) : token)
                    .isEqualTo("{\"active\":false}");
        }
        Api.Response missing = api.call("POST", "/api/oauth/introspect", "",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", client.basic()));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void aBadClientIsInvalidClientAndBothMethodsAtOnceAreInvalidRequest() {
        String admin = adminToken();
        Client client = client(admin);
        String token = api.login("admin", ADMIN_PASSWORD);
        Client wrongSecret = new Client(client.id(), client.clientId(), client(admin).secret());
        Client unknown = new Client(client.id(), "nosuchclient", client.secret());
        for (Api.Response refused : List.of(introspect(wrongSecret, token), introspect(unknown, token),
                introspectByForm(wrongSecret, token),
                api.call("POST", "/api/oauth/introspect", form("token", token),
                        Map.of("Content-Type", "application/x-www-form-urlencoded")),
                api.call("POST", "/api/oauth/introspect", form("token", token),
                        Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization",
                                "Bearer " + token)))) {
            assertThat(refused.status()).as(refused.raw()).isEqualTo(401);
            assertThat(refused.json().get("error").asText()).isEqualTo("invalid_client");
            assertThat(refused.header("WWW-Authenticate")).startsWith("Basic");
            assertThat(refused.raw()).doesNotContain("active");
        }
        Api.Response both = api.call("POST", "/api/oauth/introspect",
                form("token", token, "client_id", client.clientId(), "client_secret", client.secret()),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", client.basic()));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("error").asText()).isEqualTo("invalid_request");

        // a disabled client is refused, and works again once enabled
        api.post("/api/clients/" + client.id() + "/disable", admin, null);
        assertThat(introspect(client, token).status()).isEqualTo(401);
        api.post("/api/clients/" + client.id() + "/enable", admin, null);
        assertThat(introspect(client, token).json().get("active").asBoolean()).isTrue();
        // a rotated secret replaces the old one at once
        String rotated = api.post("/api/clients/" + client.id() + "/rotate-secret", admin, null).json()
                .get("clientSecret").asText();
        assertThat(introspect(client, token).status()).isEqualTo(401);
        assertThat(introspect(new Client(client.id(), client.clientId(), rotated), token).status()).isEqualTo(200);
    }

    @Test
    void anActiveAnswerIsAUseOfTheTokenRecordedWithTheClient() throws InterruptedException {
        String admin = adminToken();
        Client client = client(admin);
        String userId = api.createUser(admin, unique("used"), "USER", Api.PASSWORD);
        JsonNode created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "used")).json();
        assertThat(introspect(client, created.get("token").asText()).json().get("active").asBoolean()).isTrue();

        JsonNode view = null;
        JsonNode clientView = null;
        for (int i = 0; i < 100; i++) {
            view = api.get("/api/tokens/" + created.get("id").asText(), admin).json();
            clientView = api.get("/api/clients/" + client.id(), admin).json();
            if (!view.path("lastUsedAt").isNull() && !clientView.path("lastUsedAt").isNull()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(view.get("lastUsedAt").isNull()).as("%s", view).isFalse();
        assertThat(view.get("lastUsedClient").asText()).isEqualTo(client.clientId());
        assertThat(clientView.get("lastUsedAt").isNull()).as("%s", clientView).isFalse();
    }

    @Test
    void aClientRevokesATokenWhichIsThenInactiveEverywhere() {
        String admin = adminToken();
        Client client = client(admin);
        String userId = api.createUser(admin, unique("revokee"), "USER", Api.PASSWORD);
        JsonNode created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "leaky")).json();
        String token = created.get("token").asText();
        assertThat(api.get("/api/me", token).status()).isEqualTo(200);

        Api.Response revoked = api.call("POST", "/api/oauth/revoke", form("token", token),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", client.basic()));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(introspect(client, token).raw()).isEqualTo("{\"active\":false}");
        assertThat(api.get("/api/me", token).status()).isEqualTo(401);
        JsonNode view = api.get("/api/tokens/" + created.get("id").asText(), admin).json();
        assertThat(view.get("status").asText()).isEqualTo("REVOKED");
        assertThat(view.get("revokeReason").asText()).isEqualTo("CLIENT_REVOKED");

        // anything else is a 200 too, and changes nothing; a bad client is refused
        for (String other : List.of(token, "garbage", TokenSecret.generate(TokenKind.PERMANENT).reveal())) {
            assertThat(api.call("POST", "/api/oauth/revoke", form("token", other),
                    Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", client.basic()))
                    .status()).isEqualTo(200);
        }
        assertThat(api.call("POST", "/api/oauth/revoke", form("token", token),
                Map.of("Content-Type", "application/x-www-form-urlencoded")).status()).isEqualTo(401);
    }

    @Test
    void theMetadataPointsAtBothEndpointsAndListsTheScopes() {
        String admin = adminToken();
        String scope = unique("meta");
        api.post("/api/scopes", admin, Map.of("name", scope, "description", ""));
        Api.Response metadata = api.get("/.well-known/oauth-authorization-server", null);
        assertThat(metadata.status()).isEqualTo(200);
        JsonNode body = metadata.json();
        assertThat(body.get("issuer").asText()).isEqualTo("https://console.tokenledger.test");
        assertThat(body.get("introspection_endpoint").asText())
                .isEqualTo("https://console.tokenledger.test/api/oauth/introspect");
        assertThat(body.get("revocation_endpoint").asText()).isEqualTo("https://console.tokenledger.test/api/oauth/revoke");
        assertThat(body.get("introspection_endpoint_auth_methods_supported").toString())
                .contains("client_secret_basic", "client_secret_post");
        assertThat(body.get("scopes_supported").toString()).contains("\"api\"", "\"read_api\"", scope);
        JsonNode docs = api.get("/v3/api-docs", null).json();
        assertThat(docs.at("/paths").has("/api/oauth/introspect")).isTrue();
        assertThat(docs.at("/paths").has("/api/oauth/revoke")).isTrue();
    }
}
