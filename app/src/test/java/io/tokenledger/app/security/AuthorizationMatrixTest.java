package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of API.md called by every kind of caller over real HTTP, against the roles API.md gives them:
 * an allowed caller gets the endpoint's success or business answer, a caller whose role is wrong 403 problem
 * details, and one without a valid token (none, revoked, expired, or a disabled user's) 401 problem details with a
 * Bearer challenge. The callers whose tokens no longer work are ADMINs, so their 401 cannot come from their role.
 * The measured matrix is written to {@value #MEASURED} and must equal the one in docs/reliability.md.
 */
class AuthorizationMatrixTest extends IntegrationTest {
    static final String MEASURED = "target/reliability/authorization-matrix.md";
    static final Path DOC = Path.of("..", "docs", "reliability.md");
    static final String SECTION = "## Authorization matrix";
    private static final String MAX_LIFETIME = "Permanent Token Max Lifetime Days";
    /** The description of the webhooks this test registers, all deleted at its end. */
    private static final String MATRIX_WEBHOOK = "authorization matrix";
    /** Marks a row's body as a form (the OAuth endpoints') rather than JSON. */
    private static final String FORM = "form:";

    /** Who calls. */
    enum Caller {
        ANONYMOUS("anonymous"),
        OWNER("owner (USER)"),
        OTHER("other USER"),
        AUDITOR("AUDITOR"),
        ADMIN("ADMIN"),
        REVOKED("revoked token"),
        EXPIRED("expired token"),
        DISABLED("disabled user's token"),
        READ_API("ADMIN's read_api token"),
        PLATFORM("ADMIN's platform-scope token");

        final String label;

        Caller(String label) {
            this.label = label;
        }
    }

    /**
     * The contract. "owner" is the USER whose user or token the path addresses; "other" a USER who is not. To a
     * USER, another user's tokens do not exist (404), as API.md's "USER = own profile and own tokens" has it.
     * Unknown ids (faults, notifications) and a group that cannot be replayed give business answers: the caller
     * got past authorisation. Writes by ADMIN address users and tokens made for that one call.
     */
    private static final List<Row> EXPECTED = List.of(
            //                                                 anon owner other audit admin revkd exprd disbl read platf
            row("POST /api/auth/login", c -> "/api/auth/login", c -> c.loginBody(),
                                                                200, 200, 200, 200, 200, 401, 401, 401, 403, 403),
            row("POST /api/auth/logout", c -> "/api/auth/logout", c -> null,
                                                                401, 204, 204, 204, 204, 401, 401, 401, 403, 403),
            row("GET /api/me", c -> "/api/me", null,             401, 200, 200, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/me/temporary-token", c -> "/api/me/temporary-token", null,
                                                                401, 200, 200, 200, 200, 401, 401, 401, 404, 403),
            row("GET /api/me/tokens", c -> "/api/me/tokens", null,
                                                                401, 200, 200, 200, 200, 401, 401, 401, 200, 403),
            row("POST /api/me/tokens", c -> "/api/me/tokens", c -> Map.of("name", unique("mine")),
                                                                401, 403, 403, 403, 201, 401, 401, 401, 403, 403),
            // a wrong current password: the caller got past authorisation, and no caller's sessions end
            row("POST /api/me/password", c -> "/api/me/password",
                    c -> Map.of("currentPassword", "Not-The-Password-At-All", "newPassword", "Violet-Harbour-Quill-17"),
                                                                401, 400, 400, 400, 400, 401, 401, 401, 403, 403),
            row("POST /api/users", c -> "/api/users", c -> newUser(unique("made")),
                                                                401, 403, 403, 403, 201, 401, 401, 401, 403, 403),
            row("GET /api/users", c -> "/api/users?size=1", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/users/{id}", c -> "/api/users/" + c.f.ownerId, null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("PUT /api/users/{id}/role", c -> "/api/users/" + c.addressedUser() + "/role",
                    c -> Map.of("role", "ADMIN"),               401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            row("POST /api/users/{id}/disable", c -> "/api/users/" + c.addressedUser() + "/disable", c -> null,
                                                                401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            row("POST /api/users/{id}/enable", c -> "/api/users/" + c.addressedUser() + "/enable", c -> null,
                                                                401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            row("POST /api/users/{id}/password", c -> "/api/users/" + c.addressedUser() + "/password",
                    c -> Map.of("newPassword", "Violet-Harbour-Quill-17"),
                                                                401, 403, 403, 403, 204, 401, 401, 401, 403, 403),
            row("POST /api/users/{id}/tokens", c -> "/api/users/" + c.f.ownerId + "/tokens",
                    c -> Map.of("name", unique("given")),       401, 403, 403, 403, 201, 401, 401, 401, 403, 403),
            row("GET /api/users/{id}/tokens", c -> "/api/users/" + c.f.ownerId + "/tokens", null,
                                                                401, 200, 404, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/tokens", c -> "/api/tokens?size=1", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/tokens/{id}", c -> "/api/tokens/" + c.f.ownerTokenId, null,
                                                                401, 200, 404, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/tokens/{id}/usage", c -> "/api/tokens/" + c.f.ownerTokenId + "/usage", null,
                                                                401, 200, 404, 200, 200, 401, 401, 401, 200, 403),
            row("POST /api/tokens/{id}/revoke", c -> "/api/tokens/" + c.freshOwnerToken() + "/revoke",
                    c -> Map.of("reason", "matrix"),            401, 200, 404, 403, 200, 401, 401, 401, 403, 403),
            row("POST /api/tokens/{id}/rotate", c -> "/api/tokens/" + c.freshOwnerToken() + "/rotate",
                    c -> Map.of(),                              401, 201, 404, 403, 201, 401, 401, 401, 403, 403),
            row("PATCH /api/tokens/{id}", c -> "/api/tokens/" + c.f.ownerTokenId,
                    c -> Map.of("tags", List.of("matrix")),     401, 200, 404, 403, 200, 401, 401, 401, 403, 403),
            row("POST /api/tokens/bulk-revoke (dry run)", c -> "/api/tokens/bulk-revoke",
                    c -> Map.of("filter", Map.of("userId", c.f.ownerId), "dryRun", true),
                                                                401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            row("GET /api/jobs/{id}", c -> "/api/jobs/" + c.f.jobId, null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/tokens/self", c -> "/api/tokens/self", null,
                                                                401, 200, 200, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/scopes", c -> "/api/scopes", null,
                                                                401, 200, 200, 200, 200, 401, 401, 401, 200, 403),
            row("POST /api/scopes", c -> "/api/scopes", c -> Map.of("name", unique("m-scope"), "description", "m"),
                                                                401, 403, 403, 403, 201, 401, 401, 401, 403, 403),
            row("DELETE /api/scopes/{name}", c -> "/api/scopes/" + c.freshScope(), null,
                                                                401, 403, 403, 403, 204, 401, 401, 401, 403, 403),
            row("POST /api/clients", c -> "/api/clients", c -> Map.of("name", unique("m-client")),
                                                                401, 403, 403, 403, 201, 401, 401, 401, 403, 403),
            row("GET /api/clients", c -> "/api/clients?size=1", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/clients/{id}", c -> "/api/clients/" + c.f.clientId, null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("POST /api/clients/{id}/rotate-secret", c -> "/api/clients/" + c.f.clientId + "/rotate-secret",
                    c -> null,                                  401, 403, 403, 403, 201, 401, 401, 401, 403, 403),
            row("POST /api/clients/{id}/disable", c -> "/api/clients/" + c.f.clientId + "/disable", c -> null,
                                                                401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            row("POST /api/clients/{id}/enable", c -> "/api/clients/" + c.f.clientId + "/enable", c -> null,
                                                                401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            // Client endpoints: a user's token is no client credential (401 invalid_client, Basic challenge), and the
            // metadata is public whatever token comes with it.
            row("POST /api/oauth/introspect (a token for credentials)", c -> "/api/oauth/introspect",
                    c -> FORM + "token=garbage",                 401, 401, 401, 401, 401, 401, 401, 401, 401, 401),
            row("POST /api/oauth/revoke (a token for credentials)", c -> "/api/oauth/revoke",
                    c -> FORM + "token=garbage",                 401, 401, 401, 401, 401, 401, 401, 401, 401, 401),
            row("POST /api/credentials/revoke (anyone; no token looked at)", c -> "/api/credentials/revoke",
                    c -> Map.of("credentials", List.of("not-a-token")),
                                                                202, 202, 202, 202, 202, 202, 202, 202, 202, 202),
            row("GET /.well-known/oauth-authorization-server", c -> "/.well-known/oauth-authorization-server", null,
                                                                200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
            row("GET /api/settings/app-config", c -> "/api/settings/app-config", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/settings/app-config/{key}", c -> settingPath(), null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("PUT /api/settings/app-config/{key}", c -> settingPath(), c -> Map.of("value", c.f.maxLifetime),
                                                                401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            row("PUT /api/settings/app-config/{key}?dryRun=true", c -> settingPath() + "?dryRun=true",
                    c -> Map.of("value", "30"),                 401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            row("DELETE /api/settings/app-config/{key}", c -> settingPath(), null,
                                                                401, 403, 403, 403, 204, 401, 401, 401, 403, 403),
            row("GET /api/faults", c -> "/api/faults?size=1", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/faults/{id} (unknown id)", c -> "/api/faults/" + UUID.randomUUID(), null,
                                                                401, 403, 403, 404, 404, 401, 401, 401, 404, 403),
            row("POST /api/faults/{id}/acknowledge (unknown id)",
                    c -> "/api/faults/" + UUID.randomUUID() + "/acknowledge", c -> null,
                                                                401, 403, 403, 403, 404, 401, 401, 401, 403, 403),
            row("GET /api/notifications", c -> "/api/notifications?size=1", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/notifications/{id} (unknown id)", c -> "/api/notifications/" + UUID.randomUUID(), null,
                                                                401, 403, 403, 404, 404, 401, 401, 401, 404, 403),
            // webhooks: made disabled, so that nothing is sent from them; a test ping of a disabled one is a 409
            row("POST /api/webhooks", c -> "/api/webhooks", c -> Map.of("url", "http://127.0.0.1:9/matrix",
                    "events", List.of("token.expiry_approaching"), "description", MATRIX_WEBHOOK),
                                                                401, 403, 403, 403, 201, 401, 401, 401, 403, 403),
            row("GET /api/webhooks", c -> "/api/webhooks?size=1", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/webhooks/{id}", c -> "/api/webhooks/" + c.f.webhookId, null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("PUT /api/webhooks/{id}", c -> "/api/webhooks/" + c.f.webhookId,
                    c -> Map.of("description", MATRIX_WEBHOOK, "enabled", false),
                                                                401, 403, 403, 403, 200, 401, 401, 401, 403, 403),
            row("DELETE /api/webhooks/{id}", c -> "/api/webhooks/" + c.freshWebhook(), null,
                                                                401, 403, 403, 403, 204, 401, 401, 401, 403, 403),
            row("POST /api/webhooks/{id}/rotate-secret", c -> "/api/webhooks/" + c.f.webhookId + "/rotate-secret",
                    c -> null,                                  401, 403, 403, 403, 201, 401, 401, 401, 403, 403),
            row("POST /api/webhooks/{id}/test (disabled)", c -> "/api/webhooks/" + c.f.webhookId + "/test",
                    c -> null,                                  401, 403, 403, 403, 409, 401, 401, 401, 403, 403),
            row("GET /api/webhooks/{id}/deliveries", c -> "/api/webhooks/" + c.f.webhookId + "/deliveries", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/webhooks/{id}/deliveries/{deliveryId} (unknown id)", c -> "/api/webhooks/"
                    + c.f.webhookId + "/deliveries/" + UUID.randomUUID(), null,
                                                                401, 403, 403, 404, 404, 401, 401, 401, 404, 403),
            row("POST /api/webhooks/{id}/deliveries/{deliveryId}/retry (unknown id)", c -> "/api/webhooks/"
                    + c.f.webhookId + "/deliveries/" + UUID.randomUUID() + "/retry", c -> null,
                                                                401, 403, 403, 403, 404, 401, 401, 401, 403, 403),
            row("GET /api/audit/tokens/{id}/events", c -> "/api/audit/tokens/" + c.f.ownerTokenId + "/events", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/audit/tokens/{id}/state", c -> "/api/audit/tokens/" + c.f.ownerTokenId + "/state?at="
                    + Instant.now(), null,                      401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/audit/users/{id}/events", c -> "/api/audit/users/" + c.f.ownerId + "/events", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/audit/events", c -> "/api/audit/events?size=1&userId=" + c.f.ownerId, null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/audit/verify", c -> "/api/audit/verify", null,
                                                                401, 403, 403, 200, 200, 401, 401, 401, 200, 403),
            row("GET /api/admin/projections", c -> "/api/admin/projections", null,
                                                                401, 403, 403, 403, 200, 401, 401, 401, 200, 403),
            row("POST /api/admin/projections/{name}/replay (notifier: never replayed)",
                    c -> "/api/admin/projections/notifier/replay", c -> null,
                                                                401, 403, 403, 403, 409, 401, 401, 401, 403, 403),
            row("GET /api/stream/tokens (own tokens to a USER)", c -> "/api/stream/tokens", null,
                                                                401, 200, 200, 200, 200, 401, 401, 401, 200, 403),
            row("GET /actuator/health", c -> "/actuator/health", null,
                                                                200, 200, 200, 200, 200, 401, 401, 401, 200, 403),
            row("GET /actuator/prometheus", c -> "/actuator/prometheus", null,
                                                                401, 403, 403, 403, 200, 401, 401, 401, 200, 403),
            row("GET /v3/api-docs", c -> "/v3/api-docs", null, 200, 200, 200, 200, 200, 401, 401, 401, 200, 403));

    /** One endpoint: its label, how to address it for a call, the body of a write (null: a GET or DELETE). */
    record Row(String label, Function<Call, String> path, Function<Call, Object> body, List<Integer> expected) {
        String method() {
            return label.substring(0, label.indexOf(' '));
        }
    }

    private static Row row(String label, Function<Call, String> path, Function<Call, Object> body, int... expected) {
        assertThat(expected).as(label).hasSize(Caller.values().length);
        return new Row(label, path, body, java.util.Arrays.stream(expected).boxed().toList());
    }

    /** The users and tokens the calls address, made by the bootstrap admin for this test alone. */
    final class Fixture {
        String admin;
        String ownerId;
        String ownerTokenId;
        String webhookId;
        String jobId;
        String clientId;
        String clientIdentifier;
        String clientSecret;
        String maxLifetime;
        final Map<Caller, String> userIds = new EnumMap<>(Caller.class);
        final Map<Caller, String> names = new EnumMap<>(Caller.class);
        final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
        String loginName;
    }

    /** One call of one row by one caller. */
    final class Call {
        final Caller caller;
        final Fixture f;

        Call(Caller caller, Fixture f) {
            this.caller = caller;
            this.f = f;
        }

        /** The user a user write addresses: the owner for the owner, else a user made for this call. */
        String addressedUser() {
            return caller == Caller.OWNER ? f.ownerId : api.createUser(f.admin, unique("victim"), "USER", Api.PASSWORD);
        }

        /** A new webhook endpoint, disabled, for a call that deletes it. */
        String freshWebhook() {
            return webhook(f.admin);
        }

        /** A new permanent token of the owner, for a call that ends or replaces it. */
        String freshOwnerToken() {
            return api.post("/api/users/" + f.ownerId + "/tokens", f.admin, Map.of("name", unique("fresh")))
                    .json().get("id").asText();
        }

        /** A platform scope registered for a call that deletes it. */
        String freshScope() {
            String name = unique("m-scope");
            assertThat(api.post("/api/scopes", f.admin, Map.of("name", name, "description", "m")).status())
                    .isEqualTo(201);
            return name;
        }

        Object loginBody() {
            return Map.of("username", f.loginName, "password", Api.PASSWORD);
        }
    }

    private static Map<String, String> newUser(String name) {
        return Map.of("username", name, "email", name + "@example.com", "displayName", name, "role", "USER",
                "password", Api.PASSWORD);
    }

    private static String settingPath() {
        return "/api/settings/app-config/"
                + URLEncoder.encode(MAX_LIFETIME, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void everyEndpointAnswersEveryCallerAsApiMdSays() throws Exception {
        Fixture f = fixture();
        String settingBefore = setting(f.admin);
        if (settingBefore == null) {
            // Set, so that reading it is a 200 whatever ran before; the configured default, so nothing changes.
            assertThat(api.put(settingPath(), f.admin, Map.of("value", f.maxLifetime)).status()).isEqualTo(200);
        }
        Map<Row, Map<Caller, Integer>> measured = new java.util.LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int calls = 0;
        try {
            for (Row row : EXPECTED) {
                Map<Caller, Integer> statuses = new EnumMap<>(Caller.class);
                for (Caller caller : Caller.values()) {
                    Call call = new Call(caller, f);
                    Api.Response response = call(row, call);
                    calls++;
                    statuses.put(caller, response.status());
                    failures.addAll(check(row, caller, response));
                }
                measured.put(row, statuses);
            }
        } finally {
            restoreSetting(f.admin, settingBefore);
            deleteWebhooks(f.admin);
        }

        String table = render(measured);
        Path out = Path.of(MEASURED);
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.printf("authorization matrix: %d endpoints x %d callers = %d calls%n", EXPECTED.size(),
                Caller.values().length, calls);

        assertThat(failures).as("cells that differ from the contract (measured matrix in %s)", MEASURED).isEmpty();
        assertThat(documentedTable())
                .as("the table in docs/reliability.md, section '%s', is not the measured one: copy the table of %s "
                        + "(app/%s) into it", SECTION.substring(3), MEASURED, MEASURED)
                .isEqualTo(table.strip());
    }

    private List<String> check(Row row, Caller caller, Api.Response response) {
        List<String> failures = new ArrayList<>();
        int expected = row.expected().get(caller.ordinal());
        String cell = row.label() + " by " + caller.label + ": ";
        if (response.status() != expected) {
            failures.add(cell + "expected " + expected + " but got " + response.status() + " " + response.raw());
            return failures;
        }
        if (expected == 401 && row.label().startsWith("POST /api/oauth/")) {
            // RFC 6749 section 5.2: the client's error, with the challenge of its authentication scheme
            if (!response.raw().equals("{\"error\":\"invalid_client\"}")
                    || !String.valueOf(response.header("WWW-Authenticate")).startsWith("Basic")) {
                failures.add(cell + "not invalid_client with a Basic challenge: " + response.raw());
            }
            return failures;
        }
        if (expected == 401 || expected == 403) {
            String type = response.contentType();
            if (type == null || !type.startsWith("application/problem+json")) {
                failures.add(cell + "not problem details: " + type);
            } else {
                JsonNode problem = response.json();
                for (String field : List.of("type", "title", "status", "detail")) {
                    if (!problem.hasNonNull(field)) {
                        failures.add(cell + "problem details without " + field + ": " + response.raw());
                    }
                }
                if (problem.path("status").asInt() != expected) {
                    failures.add(cell + "problem details with status " + problem.path("status"));
                }
            }
        }
        if (expected == 401) {
            String challenge = response.header("WWW-Authenticate");
            if (challenge == null || !challenge.startsWith("Bearer")) {
                failures.add(cell + "401 without a Bearer challenge: " + challenge);
            }
        }
        return failures;
    }

    private Api.Response call(Row row, Call call) {
        Map<String, String> headers = new HashMap<>();
        String token = token(row, call);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        String path = row.path().apply(call);
        if (row.label().startsWith("GET /api/stream/")) {
            return openStream(path, headers);
        }
        Object body = row.body() == null ? null : row.body().apply(call);
        if (body instanceof String form && form.startsWith(FORM)) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            return api.call(row.method(), path, form.substring(FORM.length()), headers);
        }
        String json = body == null ? null : Api.json(body);
        return api.call(row.method(), path, json, headers);
    }

    /** The caller's token; logging out ends a session, so that row logs the caller in anew. */
    private String token(Row row, Call call) {
        boolean valid = call.caller == Caller.OWNER || call.caller == Caller.OTHER || call.caller == Caller.AUDITOR
                || call.caller == Caller.ADMIN;
        if (valid && row.label().equals("POST /api/auth/logout")) {
            return api.login(call.f.names.get(call.caller), Api.PASSWORD);
        }
        return call.f.tokens.get(call.caller);
    }

    /** An event stream never ends: its status and headers are read, then it is closed. */
    private Api.Response openStream(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String raw = "";
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    raw = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new Api.Response(response.statusCode(), response.headers().map(), raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Fixture fixture() throws InterruptedException {
        Fixture f = new Fixture();
        f.admin = adminToken();
        f.maxLifetime = "365";
        // The expired token first: it is used once while valid, then its few seconds run out during the rest.
        String expiredName = unique("m-expired");
        String expiredId = api.createUser(f.admin, expiredName, "ADMIN", Api.PASSWORD);
        Api.Response expiring = api.post("/api/users/" + expiredId + "/tokens", f.admin,
                Map.of("name", "short-lived", "expiresAt", Instant.now().plusSeconds(5).toString()));
        assertThat(expiring.status()).as(expiring.raw()).isEqualTo(201);
        String expired = expiring.json().get("token").asText();
        Instant expiresAt = Instant.parse(expiring.json().get("expiresAt").asText());
        assertThat(api.get("/api/me", expired).status()).as("the short-lived token works at first").isEqualTo(200);
        f.tokens.put(Caller.EXPIRED, expired);

        for (Caller caller : List.of(Caller.OWNER, Caller.OTHER, Caller.AUDITOR, Caller.ADMIN)) {
            String role = caller == Caller.AUDITOR || caller == Caller.ADMIN ? caller.name() : "USER";
            String name = unique("m-" + caller.name().toLowerCase());
            f.names.put(caller, name);
            f.userIds.put(caller, api.createUser(f.admin, name, role, Api.PASSWORD));
            f.tokens.put(caller, api.login(name, Api.PASSWORD));
        }
        f.ownerId = f.userIds.get(Caller.OWNER);
        f.loginName = unique("m-login");
        api.createUser(f.admin, f.loginName, "USER", Api.PASSWORD);
        Api.Response ownerToken = api.post("/api/users/" + f.ownerId + "/tokens", f.admin, Map.of("name", "read-me"));
        f.ownerTokenId = ownerToken.json().get("id").asText();
        f.webhookId = webhook(f.admin);
        // A job that matches nothing, so that it is done at once and revokes nothing.
        Api.Response job = api.post("/api/tokens/bulk-revoke", f.admin, Map.of("filter",
                Map.of("q", unique("m-no-such-token")), "reason", "matrix", "dryRun", false));
        assertThat(job.status()).as(job.raw()).isEqualTo(202);
        f.jobId = job.json().get("jobId").asText();

        String revokedId = api.createUser(f.admin, unique("m-revoked"), "ADMIN", Api.PASSWORD);
        Api.Response revokable = api.post("/api/users/" + revokedId + "/tokens", f.admin, Map.of("name", "to-revoke"));
        String revoked = revokable.json().get("token").asText();
        assertThat(api.get("/api/me", revoked).status()).isEqualTo(200);
        assertThat(api.post("/api/tokens/" + revokable.json().get("id").asText() + "/revoke", f.admin,
                Map.of("reason", "matrix")).status()).isEqualTo(200);
        f.tokens.put(Caller.REVOKED, revoked);

        String disabledId = api.createUser(f.admin, unique("m-disabled"), "ADMIN", Api.PASSWORD);
        String disabled = api.post("/api/users/" + disabledId + "/tokens", f.admin, Map.of("name", "of-disabled"))
                .json().get("token").asText();
        assertThat(api.get("/api/me", disabled).status()).isEqualTo(200);
        assertThat(api.post("/api/users/" + disabledId + "/disable", f.admin, null).status()).isEqualTo(200);
        f.tokens.put(Caller.DISABLED, disabled);

        Api.Response client = api.post("/api/clients", f.admin, Map.of("name", unique("m-client")));
        f.clientId = client.json().get("id").asText();
        f.clientIdentifier = client.json().get("clientId").asText();
        f.clientSecret = client.json().get("clientSecret").asText();

        // An ADMIN's tokens whose scopes are all that limits them: read_api, and a platform scope alone.
        String scopedId = api.createUser(f.admin, unique("m-scoped"), "ADMIN", Api.PASSWORD);
        String platformScope = c(f).freshScope();
        f.tokens.put(Caller.READ_API, api.post("/api/users/" + scopedId + "/tokens", f.admin,
                Map.of("name", "read-only", "scopes", List.of("read_api"))).json().get("token").asText());
        f.tokens.put(Caller.PLATFORM, api.post("/api/users/" + scopedId + "/tokens", f.admin,
                Map.of("name", "platform-only", "scopes", List.of(platformScope))).json().get("token").asText());

        long wait = Duration.between(Instant.now(), expiresAt).toMillis();
        if (wait > 0) {
            Thread.sleep(wait + 100);
        }
        return f;
    }

    private Call c(Fixture f) {
        return new Call(Caller.ADMIN, f);
    }

    private String setting(String admin) {
        for (JsonNode entry : api.get("/api/settings/app-config", admin).json()) {
            if (entry.get("key").asText().equals(MAX_LIFETIME)) {
                return entry.get("value").asText();
            }
        }
        return null;
    }

    /** A webhook endpoint registered and disabled at once: nothing is ever sent to it. */
    private String webhook(String admin) {
        Api.Response created = api.post("/api/webhooks", admin, Map.of("url", "http://127.0.0.1:9/matrix",
                "events", List.of("token.expiry_approaching"), "description", MATRIX_WEBHOOK));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.put("/api/webhooks/" + id, admin, Map.of("enabled", false)).status()).isEqualTo(200);
        return id;
    }

    private void deleteWebhooks(String admin) {
        for (JsonNode webhook : api.get("/api/webhooks?size=200", admin).json().get("items")) {
            if (MATRIX_WEBHOOK.equals(webhook.path("description").asText())) {
                api.delete("/api/webhooks/" + webhook.get("id").asText(), admin);
            }
        }
    }

    private void restoreSetting(String admin, String before) {
        if (before == null) {
            assertThat(api.delete(settingPath(), admin).status()).isEqualTo(204);
        } else {
            assertThat(api.put(settingPath(), admin, Map.of("value", before)).status()).isEqualTo(200);
        }
    }

    /** The matrix as a Markdown table: one row per endpoint, one column per caller, the status measured. */
    static String render(Map<Row, Map<Caller, Integer>> measured) {
        StringBuilder out = new StringBuilder("| endpoint |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Caller caller : Caller.values()) {
            out.append(' ').append(caller.label).append(" |");
            rule.append("---|");
        }
        out.append('\n').append(rule).append('\n');
        measured.forEach((row, statuses) -> {
            int note = row.label().indexOf(" (");
            String endpoint = note < 0 ? row.label() : row.label().substring(0, note);
            out.append("| `").append(endpoint).append('`').append(note < 0 ? "" : row.label().substring(note))
                    .append(" |");
            for (Caller caller : Caller.values()) {
                out.append(' ').append(statuses.get(caller)).append(" |");
            }
            out.append('\n');
        });
        return out.toString();
    }

    /** The table lines of the section in docs/reliability.md. */
    private static String documentedTable() throws IOException {
        if (!Files.exists(DOC)) {
            return "(no " + DOC.normalize() + ")";
        }
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf(SECTION);
        if (start < 0) {
            return "(no section '" + SECTION + "' in docs/reliability.md)";
        }
        StringBuilder table = new StringBuilder();
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            if (lines.get(i).startsWith("|")) {
                table.append(lines.get(i)).append('\n');
            } else if (table.length() > 0) {
                break;
            }
        }
        return table.toString().strip();
    }
}
