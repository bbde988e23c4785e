package io.tokenledger.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Webhooks end to end: endpoints registered over the API, real events, a real HTTP receiver in the test, and every
 * request it gets verified with {@link StandardWebhooksVerifier}, written from the specification's text.
 */
class WebhookDeliveryTest extends IntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    EventGateway events;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private final List<Receiver> receivers = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();

    @AfterEach
    void removeEndpoints() {
        String admin = adminToken();
        endpoints.forEach(id -> api.delete("/api/webhooks/" + id, admin));
        receivers.forEach(Receiver::close);
    }

    private Receiver receiver() {
        Receiver receiver = new Receiver();
        receivers.add(receiver);
        return receiver;
    }

    /** A registered endpoint: its id and its secret, as the one answer that shows it gave it. */
    private record Endpoint(String id, String secret) {
    }

    private Endpoint register(String admin, String url, String... events) {
        Api.Response created = api.post("/api/webhooks", admin, Map.of("url", url, "events", List.of(events),
                "description", "test receiver"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("secret").asText()).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(body.get("status").asText()).isEqualTo("ENABLED");
        endpoints.add(body.get("id").asText());
        return new Endpoint(body.get("id").asText(), body.get("secret").asText());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requests whose body satisfies the condition, once at least {@code count} of them arrived. */
    private static List<Receiver.Request> received(Receiver receiver, int count, Predicate<JsonNode> which) {
        List<Receiver.Request> found = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            found.clear();
            receiver.requests().stream().filter(r -> which.test(json(r.body()))).forEach(found::add);
            assertThat(found).hasSizeGreaterThanOrEqualTo(count);
        });
        return found;
    }

    private static void verifyAll(List<Receiver.Request> requests, String secret) {
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(secret);
        for (Receiver.Request r : requests) {
            verifier.verify(r.header("webhook-id"), r.header("webhook-timestamp"), r.header("webhook-signature"),
                    r.body(), r.at());
            assertThat(r.header("content-type")).startsWith("application/json");
        }
    }

    private static Predicate<JsonNode> about(String field, String value) {
        return body -> value.equals(body.path("data").path(field).asText(null));
    }

    @Test
    void everyTokenEventReachesTheEndpointSignedAsTheSpecificationHasItAndNeverWithASecretOrHash() {
        String admin = adminToken();
        Receiver receiver = receiver();
        Endpoint endpoint = register(admin, receiver.url("/all"), "*");

        String username = unique("hooked");
        String userId = api.createUser(admin, username, "USER", Api.PASSWORD);
        JsonNode token = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "deploy")).json();
        String tokenId = token.get("id").asText();
        JsonNode rotated = api.post("/api/tokens/" + tokenId + "/rotate", admin, Map.of()).json();
        String newTokenId = rotated.get("id").asText();
        JsonNode other = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "backup")).json();
        String otherId = other.get("id").asText();
        Instant expiresAt = Instant.parse(other.get("expiresAt").asText());
        events.publish(new TokenExpiryApproaching(TokenId.of(otherId), UserId.of(userId), "backup",
                other.get("hint").asText(), expiresAt, 7, Instant.now()));
        events.publish(new TokenExpired(TokenId.of(otherId), new UserId(java.util.UUID.fromString(userId)),
                new TokenHash("0".repeat(64)), Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        assertThat(api.post("/api/users/" + userId + "/disable", admin, null).status()).isEqualTo(200);

        // created ×3 (deploy, its rotation, backup), rotated, revoked ×2 (rotation, disable), approaching, expired,
        // user.disabled
        List<Receiver.Request> received = received(receiver, 9, body -> body.path("data").toString().contains(userId));
        verifyAll(received, endpoint.secret());
        Map<String, List<JsonNode>> byType = received.stream().map(r -> json(r.body()))
                .collect(Collectors.groupingBy(b -> b.get("type").asText()));
        assertThat(byType.keySet()).containsExactlyInAnyOrder("token.created", "token.rotated", "token.revoked",
                "token.expiry_approaching", "token.expired", "user.disabled");
        assertThat(byType.get("token.created")).hasSize(3);

        JsonNode created = byType.get("token.created").stream()
                .filter(b -> b.at("/data/tokenId").asText().equals(tokenId)).findFirst().orElseThrow();
        assertThat(created.fieldNames()).toIterable().containsExactly("type", "timestamp", "data");
        assertThat(Instant.parse(created.get("timestamp").asText())).isBeforeOrEqualTo(Instant.now());
        JsonNode data = created.get("data");
        assertThat(data.get("name").asText()).isEqualTo("deploy");
        assertThat(data.get("hint").asText()).isEqualTo(token.get("hint").asText());
        assertThat(data.get("userId").asText()).isEqualTo(userId);
        assertThat(data.get("username").asText()).isEqualTo(username);
        assertThat(Instant.parse(data.get("expiresAt").asText())).isEqualTo(Instant.parse(token.get("expiresAt").asText()));

        JsonNode rotation = byType.get("token.rotated").get(0).get("data");
        assertThat(rotation.get("tokenId").asText()).isEqualTo(tokenId);
        assertThat(rotation.get("replacedBy").asText()).isEqualTo(newTokenId);
        assertThat(byType.get("token.revoked").stream().map(b -> b.at("/data/reason").asText()))
                .containsExactlyInAnyOrder("ROTATED", "USER_DISABLED");
        assertThat(byType.get("token.expiry_approaching").get(0).at("/data/daysBefore").asInt()).isEqualTo(7);
        assertThat(byType.get("user.disabled").get(0).at("/data/username").asText()).isEqualTo(username);

        for (Receiver.Request r : received) {
            assertThat(r.body()).doesNotContain(token.get("token").asText(), rotated.get("token").asText(),
                    other.get("token").asText(), endpoint.secret(), "hash", "whsec_");
        }
        // one delivery per event: the webhook-ids differ
        assertThat(received.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(received.size());
    }

    /** A leaked token, its scopes, and the clients' registration and disabling reach the endpoint too. */
    @Test
    void aLeakedTokenWithItsScopesAndClientsComingAndGoingAreAnnounced() {
        String admin = adminToken();
        Receiver receiver = receiver();
        Endpoint endpoint = register(admin, receiver.url("/leaks"), "token.created", "token.leaked",
                "client.created", "client.disabled");
        String userId = api.createUser(admin, unique("leaky"), "USER", Api.PASSWORD);
        JsonNode token = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "reader", "scopes", List.of("read_api"))).json();
        String tokenId = token.get("id").asText();
        assertThat(api.post("/api/credentials/revoke", null, Map.of("credentials", List.of(token.get("token").asText()),
                "source", "github-secret-scanning")).status()).isEqualTo(202);
        String clientName = unique("inventory");
        JsonNode client = api.post("/api/clients", admin, Map.of("name", clientName)).json();
        String clientId = client.get("id").asText();
        assertThat(api.post("/api/clients/" + clientId + "/disable", admin, null).status()).isEqualTo(200);

        List<Receiver.Request> aboutToken = received(receiver, 2, about("tokenId", tokenId));
        List<Receiver.Request> aboutClient = received(receiver, 2, about("id", clientId));
        verifyAll(aboutToken, endpoint.secret());
        verifyAll(aboutClient, endpoint.secret());
        Map<String, JsonNode> byType = new java.util.HashMap<>();
        for (Receiver.Request r : aboutToken) {
            byType.put(json(r.body()).get("type").asText(), json(r.body()).get("data"));
        }
        for (Receiver.Request r : aboutClient) {
            byType.put(json(r.body()).get("type").asText(), json(r.body()).get("data"));
        }
        assertThat(byType.keySet()).containsExactlyInAnyOrder("token.created", "token.leaked", "client.created",
                "client.disabled");
        assertThat(byType.get("token.created").get("scopes").toString()).isEqualTo("[\"read_api\"]");
        assertThat(byType.get("token.leaked").get("source").asText()).isEqualTo("github-secret-scanning");
        assertThat(byType.get("token.leaked").get("scopes").toString()).isEqualTo("[\"read_api\"]");
        assertThat(byType.get("client.created").get("name").asText()).isEqualTo(clientName);
        assertThat(byType.get("client.created").get("clientId").asText()).isEqualTo(client.get("clientId").asText());
        assertThat(byType.get("client.disabled").get("name").asText()).isEqualTo(clientName);
        for (Receiver.Request r : aboutClient) {
            assertThat(r.body()).doesNotContain(client.get("clientSecret").asText(), "tlc_", "hash");
        }
        for (Receiver.Request r : aboutToken) {
            assertThat(r.body()).doesNotContain(token.get("token").asText(), "hash");
        }
    }

    /**
     * A rotation with a grace period is announced with its end, and a use of the old token after the new one's first
     * use as token.reused_after_rotation, once, with the token's scopes and its successor.
     */
    @Test
    void aReuseAfterRotationIsAnnouncedOnce() {
        String admin = adminToken();
        Receiver receiver = receiver();
        Endpoint endpoint = register(admin, receiver.url("/reuse"), "token.rotated", "token.reused_after_rotation");
        String userId = api.createUser(admin, unique("reuser"), "USER", Api.PASSWORD);
        JsonNode token = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "reader", "scopes", List.of("read_api"))).json();
        String tokenId = token.get("id").asText();
        JsonNode successor = api.post("/api/tokens/" + tokenId + "/rotate", admin, Map.of("gracePeriod", "PT1H"))
                .json();
        assertThat(api.get("/api/tokens/self", successor.get("token").asText()).status()).isEqualTo(200);
        assertThat(api.get("/api/tokens/self", token.get("token").asText()).status()).isEqualTo(200);

        List<Receiver.Request> announced = received(receiver, 2, about("tokenId", tokenId));
        verifyAll(announced, endpoint.secret());
        Map<String, JsonNode> byType = new java.util.HashMap<>();
        for (Receiver.Request r : announced) {
            byType.put(json(r.body()).get("type").asText(), json(r.body()).get("data"));
            assertThat(r.body()).doesNotContain(token.get("token").asText(), successor.get("token").asText(), "hash");
        }
        assertThat(byType.keySet()).containsExactlyInAnyOrder("token.rotated", "token.reused_after_rotation");
        JsonNode graceEndsAt = byType.get("token.rotated").get("graceEndsAt");
        assertThat(graceEndsAt.asText()).isNotBlank();
        JsonNode reuse = byType.get("token.reused_after_rotation");
        assertThat(reuse.get("scopes").toString()).isEqualTo("[\"read_api\"]");
        assertThat(reuse.get("supersededBy").asText()).isEqualTo(successor.get("id").asText());
        assertThat(reuse.get("graceEndsAt").asText()).isEqualTo(graceEndsAt.asText());
        assertThat(reuse.get("name").asText()).isEqualTo("reader");
    }

    @Test
    void aReceiverAnswering500Then200GetsTheSameMessageAgainEachAttemptSignedAnew() {
        String admin = adminToken();
        Receiver receiver = receiver().answer(Receiver.Answer.of(500), Receiver.Answer.of(503));
        Endpoint endpoint = register(admin, receiver.url("/flaky"), "token.created");
        String userId = api.createUser(admin, unique("flaky"), "USER", Api.PASSWORD);
        api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "ci"));

        List<Receiver.Request> attempts = received(receiver, 3, about("userId", userId));
        verifyAll(attempts, endpoint.secret());
        assertThat(attempts.stream().map(Receiver.Request::body).distinct()).hasSize(1);
        assertThat(attempts.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode log = api.get("/api/webhooks/" + endpoint.id() + "/deliveries", admin).json();
            assertThat(log.get("total").asInt()).isEqualTo(1);
            JsonNode delivery = log.get("items").get(0);
            assertThat(delivery.get("status").asText()).isEqualTo("SENT");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.get("lastStatusCode").asInt()).isEqualTo(200);
            assertThat(delivery.get("type").asText()).isEqualTo("token.created");
            assertThat(delivery.get("eventId").asText()).isEqualTo(attempts.get(0).header("webhook-id"));
            assertThat(delivery.get("lastAttemptAt").isNull()).isFalse();
        });
        assertThat(receiver.requests()).hasSize(3);
    }

    @Test
    void a429IsRetriedNoSoonerThanItsRetryAfterAndAnother4xxIsNeverRetriedButCanBeRedelivered() {
        String admin = adminToken();
        Receiver receiver = receiver().answer(new Receiver.Answer(429, Map.of("Retry-After", "2")),
                Receiver.Answer.of(200), Receiver.Answer.of(400));
        Endpoint endpoint = register(admin, receiver.url("/limited"), "token.created");
        String userId = api.createUser(admin, unique("limited"), "USER", Api.PASSWORD);
        api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "first"));

        List<Receiver.Request> first = received(receiver, 2, about("name", "first"));
        assertThat(Duration.between(first.get(0).at(), first.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        verifyAll(first, endpoint.secret());

        api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "second"));
        List<Receiver.Request> second = received(receiver, 1, about("name", "second"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(delivery(admin, endpoint, "FAILED")).isNotNull());
        JsonNode failed = delivery(admin, endpoint, "FAILED");
        assertThat(failed.get("lastStatusCode").asInt()).isEqualTo(400);
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        sleep(Duration.ofSeconds(2));
        assertThat(receiver.requests().stream().filter(r -> r.body().contains("second"))).hasSize(1);

        Api.Response retried = api.post("/api/webhooks/" + endpoint.id() + "/deliveries/" + failed.get("id").asText()
                + "/retry", admin, null);
        assertThat(retried.status()).isEqualTo(202);
        List<Receiver.Request> again = received(receiver, 2, about("name", "second"));
        verifyAll(again, endpoint.secret());
        assertThat(again.get(1).header("webhook-id")).isEqualTo(second.get(0).header("webhook-id"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(delivery(admin, endpoint, "FAILED")).isNull());
    }

    @Test
    void afterARotationBothSecretsSignUntilThePreviousOneLapses() {
        String admin = adminToken();
        Receiver receiver = receiver().answer(Receiver.Answer.of(500));
        Endpoint endpoint = register(admin, receiver.url("/rotating"), "token.created");
        String userId = api.createUser(admin, unique("rotating"), "USER", Api.PASSWORD);
        api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "before"));
        List<Receiver.Request> before = received(receiver, 2, about("name", "before"));
        verifyAll(before, endpoint.secret());
        assertThat(before.get(1).header("webhook-signature").split(" ")).hasSize(1);

        Api.Response rotation = api.post("/api/webhooks/" + endpoint.id() + "/rotate-secret", admin, null);
        assertThat(rotation.status()).isEqualTo(201);
        String newSecret = rotation.json().get("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(endpoint.secret());
        JsonNode view = api.get("/api/webhooks/" + endpoint.id(), admin).json();
        assertThat(view.has("secret")).isFalse();
        assertThat(Instant.parse(view.get("previousSecretUntil").asText()))
                .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));

        // a receiver failing once after the rotation: the retry is signed with both secrets too
        receiver.answer(Receiver.Answer.of(502));
        api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "after"));
        List<Receiver.Request> after = received(receiver, 2, about("name", "after"));
        verifyAll(after, newSecret);
        verifyAll(after, endpoint.secret());
        for (Receiver.Request r : after) {
            assertThat(r.header("webhook-signature").split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        }
    }

    @Test
    void aTestPingIsDeliveredSignedAndOnlySubscribedEventsOfAfterTheRegistrationAreSent() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("earlier"), "USER", Api.PASSWORD);
        String earlier = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "earlier")).json()
                .get("id").asText();
        Receiver receiver = receiver();
        Endpoint endpoint = register(admin, receiver.url("/revocations"), "token.revoked");

        Api.Response ping = api.post("/api/webhooks/" + endpoint.id() + "/test", admin, null);
        assertThat(ping.status()).isEqualTo(202);
        List<Receiver.Request> pings = received(receiver, 1, body -> body.path("type").asText().equals("webhook.test"));
        verifyAll(pings, endpoint.secret());
        assertThat(json(pings.get(0).body()).at("/data/webhookId").asText()).isEqualTo(endpoint.id());

        api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "later"));
        assertThat(api.post("/api/tokens/" + earlier + "/revoke", admin, Map.of("reason", "done")).status())
                .isEqualTo(200);
        List<Receiver.Request> revoked = received(receiver, 1, about("tokenId", earlier));
        verifyAll(revoked, endpoint.secret());
        assertThat(json(revoked.get(0).body()).get("type").asText()).isEqualTo("token.revoked");
        assertThat(json(revoked.get(0).body()).at("/data/name").asText()).isEqualTo("earlier");
        sleep(Duration.ofSeconds(1));
        assertThat(receiver.requests().stream().map(r -> json(r.body()).get("type").asText()))
                .containsOnly("webhook.test", "token.revoked");
    }

    @Test
    void anEndpointFailingForTheConfiguredTimeIsDisabledWithAFaultAndWaitsUntilEnabledAgain() {
        String admin = adminToken();
        Receiver receiver = receiver().otherwise(Receiver.Answer.of(503));
        Endpoint endpoint = register(admin, receiver.url("/down"), "token.created");
        String userId = api.createUser(admin, unique("down"), "USER", Api.PASSWORD);
        api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "lost"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(api.get("/api/webhooks/" + endpoint.id(), admin).json()
                .get("status").asText()).isEqualTo("DISABLED"));
        JsonNode faults = api.get("/api/faults?status=OPEN&size=200", admin).json().get("items");
        assertThat(StreamSupport.stream(faults.spliterator(), false)
                .filter(f -> f.get("type").asText().equals("WEBHOOK_DISABLED")
                        && f.path("webhookId").asText().equals(endpoint.id()))).hasSize(1);
        JsonNode pending = delivery(admin, endpoint, "PENDING");
        assertThat(pending).isNotNull();
        int attempts = receiver.requests().size();
        sleep(Duration.ofSeconds(1));
        assertThat(receiver.requests()).hasSize(attempts);

        receiver.otherwise(Receiver.Answer.of(204));
        // as if its backoff had reached an hour: enabling it makes what waited due at once all the same
        jdbc.update("UPDATE webhook_delivery SET next_attempt_at = now() + interval '1 hour' WHERE endpoint_id = ?",
                java.util.UUID.fromString(endpoint.id()));
        Api.Response enabled = api.put("/api/webhooks/" + endpoint.id(), admin, Map.of("enabled", true));
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.json().get("status").asText()).isEqualTo("ENABLED");
        await().atMost(WAIT).untilAsserted(() -> assertThat(delivery(admin, endpoint, "SENT")).isNotNull());
        verifyAll(receiver.requests(), endpoint.secret());
    }

    @Test
    void registrationsAreValidatedListedWithoutTheirSecretChangedAndDeleted() {
        String admin = adminToken();
        assertThat(api.post("/api/webhooks", admin, Map.of("url", "https://example.com/x", "events",
                List.of("token.exploded"))).status()).isEqualTo(400);
        assertThat(api.post("/api/webhooks", admin, Map.of("url", "https://example.com/x", "events", List.of()))
                .status()).isEqualTo(400);
        assertThat(api.post("/api/webhooks", admin, Map.of("url", "ftp://example.com/x", "events", List.of("*")))
                .status()).isEqualTo(400);
        assertThat(api.post("/api/webhooks", admin, Map.of("events", List.of("*"))).status()).isEqualTo(400);
        assertThat(api.post("/api/webhooks", admin, Map.of("url", "http://u:p@127.0.0.1/x", "events",
                List.of("*"))).status()).isEqualTo(400);
        assertThat(api.post("/api/webhooks", admin, Map.of("url", "http://127.0.0.1/x", "events",
                List.of("*", "token.created"))).status()).isEqualTo(400);

        Receiver receiver = receiver();
        Endpoint endpoint = register(admin, receiver.url("/crud"), "token.created", "token.revoked");
        Api.Response list = api.get("/api/webhooks?size=200", admin);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.raw()).doesNotContain(endpoint.secret()).doesNotContain("whsec_");
        JsonNode changed = api.put("/api/webhooks/" + endpoint.id(), admin, Map.of("events", List.of("*"),
                "enabled", false)).json();
        assertThat(changed.get("events").toString()).isEqualTo("[\"*\"]");
        assertThat(changed.get("status").asText()).isEqualTo("DISABLED");
        assertThat(api.post("/api/webhooks/" + endpoint.id() + "/test", admin, null).status()).isEqualTo(409);
        assertThat(api.put("/api/webhooks/" + endpoint.id(), admin, Map.of("url", "gopher://x")).status())
                .isEqualTo(400);

        assertThat(api.delete("/api/webhooks/" + endpoint.id(), admin).status()).isEqualTo(204);
        assertThat(api.get("/api/webhooks/" + endpoint.id(), admin).status()).isEqualTo(404);
        assertThat(api.get("/api/webhooks/" + endpoint.id() + "/deliveries", admin).status()).isEqualTo(404);
        assertThat(api.post("/api/admin/projections/webhooks/replay", admin, null).status()).isEqualTo(409);

        JsonNode audit = api.get("/api/audit/events?size=200&type=WebhookEndpointRegistered", admin).json();
        assertThat(audit.toString()).contains(endpoint.id()).doesNotContain("whsec_");
    }

    private JsonNode delivery(String admin, Endpoint endpoint, String status) {
        JsonNode items = api.get("/api/webhooks/" + endpoint.id() + "/deliveries?status=" + status, admin).json()
                .get("items");
        return items.isEmpty() ? null : items.get(0);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
