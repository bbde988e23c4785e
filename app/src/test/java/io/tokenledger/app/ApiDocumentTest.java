package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API document at {@code /v3/api-docs} tells the truth: every operation named, summarised, tagged and answering
 * JSON (or its stated media type), every error a problem details object, no Java type leaking into a schema, and the
 * success status it documents is the one the server answers. The document is also written to
 * {@code target/openapi.json}, where CI lints it with Spectral (docs/api-lint.md), and must equal the one kept in
 * {@code docs/openapi.json}.
 */
class ApiDocumentTest extends IntegrationTest {
    private static final Pattern OPERATION_ID = Pattern.compile("^[a-z][A-Za-z0-9]+$");
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Set<String> OAUTH_ERROR_OPERATIONS = Set.of("introspectToken", "revokeTokenByClient");

    private JsonNode document;

    @BeforeEach
    void fetch() throws IOException {
        Api.Response docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        document = docs.json();
        Files.writeString(Path.of("target", "openapi.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n",
                StandardCharsets.UTF_8);
    }

    /** Every operation as "METHOD path" with its node. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (Set.of("get", "put", "post", "delete", "patch").contains(method.getKey())) {
                out.put(method.getKey().toUpperCase() + " " + path.getKey(), method.getValue());
            }
        }));
        return out;
    }

    /**
     * The document is kept in the repository, where a change of the API shows in review and the generated client
     * (api-client-test) is built from it: it must be the one the server serves, whatever the build's version.
     */
    @Test
    void theKeptDocumentIsTheServedOne() throws IOException {
        JsonNode kept = new ObjectMapper().readTree(Files.readString(Path.of("..", "docs", "openapi.json")));
        JsonNode served = document.deepCopy();
        ((ObjectNode) kept.get("info")).remove("version");
        ((ObjectNode) served.get("info")).remove("version");
        assertThat(served).as("docs/openapi.json must be the served document: after changing the API, copy "
                + "app/target/openapi.json (written by this test) to docs/openapi.json").isEqualTo(kept);
    }

    @Test
    void theDocumentIsTheApisTitledVersionedAndSecured() {
        assertThat(document.at("/info/title").asText()).isEqualTo("Token Ledger API");
        assertThat(document.at("/info/version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/components/securitySchemes/sessionCookie/in").asText()).isEqualTo("cookie");
        assertThat(document.at("/components/securitySchemes/csrfHeader/name").asText()).isEqualTo("X-CSRF-TOKEN");
        assertThat(document.at("/security/0/bearerAuth").isArray()).isTrue();
        document.get("paths").properties().forEach(path -> assertThat(path.getKey())
                .as("only the API and its metadata, not the console").matches("^/(api/|\\.well-known/).*"));
        assertThat(operations()).containsKeys("POST /api/users", "POST /api/users/{userId}/tokens",
                "GET /api/tokens", "POST /api/tokens/{id}/rotate", "POST /api/tokens/{id}/revoke",
                "GET /api/stream/tokens", "POST /api/auth/login");
        assertThat(operations().get("POST /api/auth/login").get("security")).isEmpty();
    }

    @Test
    void everyOperationIsNamedSummarisedTaggedAndAnswersAStatedMediaType() {
        Set<String> tags = new java.util.HashSet<>();
        document.get("tags").forEach(t -> tags.add(t.get("name").asText()));
        List<String> ids = new ArrayList<>();
        operations().forEach((name, op) -> {
            assertThat(op.path("operationId").asText()).as(name).matches(OPERATION_ID);
            ids.add(op.get("operationId").asText());
            assertThat(op.path("summary").asText()).as(name).isNotBlank();
            assertThat(op.path("tags").size()).as(name).isEqualTo(1);
            assertThat(tags).as(name).contains(op.path("tags").get(0).asText());
            op.get("responses").properties().forEach(r -> r.getValue().path("content").properties().forEach(c ->
                    assertThat(c.getKey()).as(name + " " + r.getKey()).isNotEqualTo("*/*")));
            op.path("requestBody").path("content").properties().forEach(c ->
                    assertThat(c.getKey()).as(name + " request").isNotEqualTo("*/*"));
        });
        assertThat(ids).doesNotHaveDuplicates().contains("createUserToken", "createUser", "rotateToken");
    }

    @Test
    void everyErrorIsTheOneProblemSchema() {
        JsonNode problem = document.at("/components/schemas/Problem");
        assertThat(problem.path("properties").properties()).extracting(Map.Entry::getKey)
                .contains("type", "title", "status", "detail", "instance", "errors", "reference", "maxBytes");
        operations().forEach((name, op) -> {
            String id = op.get("operationId").asText();
            op.get("responses").properties().forEach(r -> {
                int status = Integer.parseInt(r.getKey());
                if (status < 400 || OAUTH_ERROR_OPERATIONS.contains(id) && (status == 400 || status == 401)) {
                    return;
                }
                assertThat(r.getValue().at("/content/application~1problem+json/schema/$ref").asText())
                        .as(name + " " + status).isEqualTo(PROBLEM_REF);
            });
            assertThat(op.get("responses").has("503")).as(name).isTrue();
            if (op.path("security").isMissingNode()) {
                assertThat(op.get("responses").has("401")).as(name).isTrue();
                assertThat(op.get("responses").has("403")).as(name).isTrue();
            }
        });
        assertThat(operations().get("POST /api/users").get("responses").has("409")).isTrue();
        assertThat(operations().get("POST /api/users").get("responses").has("413")).isTrue();
        assertThat(operations().get("POST /api/auth/login").get("responses").has("429")).isTrue();
        assertThat(operations().get("GET /api/tokens/{id}").get("responses").has("404")).isTrue();
    }

    @Test
    void noJavaTypeLeaksIntoTheSchemas() {
        document.at("/components/schemas").properties().forEach(s -> assertThat(s.getKey()).as("schema name")
                .doesNotContain("SseEmitter", "JsonNode", "ObjectNode", "ResponseEntity", "StreamingResponseBody",
                        "Map", "Object"));
        assertThat(document.toString()).doesNotContain("SseEmitter", "JsonNode", "ResponseEntity");
        assertThat(operations().get("GET /api/stream/tokens").at("/responses/200/content").properties())
                .extracting(Map.Entry::getKey).containsExactly("text/event-stream");
    }

    /** What the document says about security is what the server does: every secured operation refuses a stranger. */
    @Test
    void everyOperationTheDocumentSecuresAnswers401WithoutCredentials() {
        operations().forEach((name, op) -> {
            String method = name.substring(0, name.indexOf(' '));
            String path = name.substring(name.indexOf(' ') + 1).replaceAll("\\{[^}]+}",
                    "00000000-0000-0000-0000-000000000000");
            boolean secured = op.path("security").isMissingNode();
            if (secured) {
                Api.Response answer = api.call(method, path,
                        Set.of("POST", "PUT").contains(method) ? "{}" : null, Map.of());
                assertThat(answer.status()).as(name).isEqualTo(401);
                assertThat(answer.contentType()).as(name).startsWith("application/problem+json");
            }
        });
    }

    @Test
    void theDocumentedSuccessStatusIsTheOneTheServerAnswers() {
        String admin = adminToken();
        String username = unique("doc");
        Api.Response user = api.post("/api/users", admin, Map.of("username", username,
                "email", username + "@example.com", "role", "USER", "password", Api.PASSWORD));
        assertDocumented("POST /api/users", user);
        String userId = user.json().get("id").asText();
        assertDocumented("PUT /api/users/{id}/role", api.put("/api/users/" + userId + "/role", admin,
                Map.of("role", "AUDITOR")));
        assertDocumented("GET /api/users/{id}", api.get("/api/users/" + userId, admin));
        Api.Response token = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "doc"));
        assertDocumented("POST /api/users/{userId}/tokens", token);
        String tokenId = token.json().get("id").asText();
        assertDocumented("GET /api/tokens", api.get("/api/tokens", admin));
        Api.Response rotated = api.post("/api/tokens/" + tokenId + "/rotate", admin, Map.of());
        assertDocumented("POST /api/tokens/{id}/rotate", rotated);
        assertDocumented("POST /api/tokens/{id}/revoke", api.post("/api/tokens/"
                + rotated.json().get("id").asText() + "/revoke", admin, Map.of("reason", "doc")));
        assertDocumented("POST /api/users/{id}/password", api.post("/api/users/" + userId + "/password", admin,
                Map.of("newPassword", "Amber-Lighthouse-Meadow-29")));
        String scope = unique("doc");
        assertDocumented("POST /api/scopes", api.post("/api/scopes", admin, Map.of("name", scope)));
        assertDocumented("DELETE /api/scopes/{name}", api.delete("/api/scopes/" + scope, admin));
        assertDocumented("POST /api/clients", api.post("/api/clients", admin, Map.of("name", unique("doc"))));
        assertDocumented("POST /api/credentials/revoke", api.post("/api/credentials/revoke", null,
                Map.of("credentials", List.of("not-a-token"))));
        Api.Response webhook = api.post("/api/webhooks", admin, Map.of("url", "http://127.0.0.1:9/api-document",
                "events", List.of("user.disabled")));
        assertDocumented("POST /api/webhooks", webhook);
        String webhookId = webhook.json().get("id").asText();
        assertDocumented("POST /api/webhooks/{id}/rotate-secret",
                api.post("/api/webhooks/" + webhookId + "/rotate-secret", admin, null));
        assertDocumented("DELETE /api/webhooks/{id}", api.delete("/api/webhooks/" + webhookId, admin));
        assertDocumented("POST /api/auth/logout", api.post("/api/auth/logout", api.login(username,
                "Amber-Lighthouse-Meadow-29"), null));

        Api.Response missing = api.get("/api/tokens/00000000-0000-0000-0000-000000000000", admin);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(operations().get("GET /api/tokens/{id}").at("/responses/404").isMissingNode()).isFalse();
        assertThat(missing.contentType()).startsWith("application/problem+json");
    }

    /** The single success status the document gives the operation is the one the server answered. */
    private void assertDocumented(String operation, Api.Response response) {
        JsonNode op = operations().get(operation);
        assertThat(op).as(operation).isNotNull();
        List<String> success = new ArrayList<>();
        op.get("responses").properties().forEach(r -> {
            if (r.getKey().startsWith("2")) {
                success.add(r.getKey());
            }
        });
        assertThat(success).as(operation).hasSize(1);
        assertThat(String.valueOf(response.status())).as(operation + ": " + response.raw()).isEqualTo(success.get(0));
    }
}
