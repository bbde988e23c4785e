package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.query.token.TokenUsageRecorder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Where a token is used, over real HTTP: each address (client address, user agent, introspecting client) is listed
 * with its counts, to admins, auditors and the owner; a permanent token's first use from an address is an event in
 * its history; with the alert switched on, such a use of a token past its first day raises a fault, once.
 */
class TokenAddressFlowTest extends IntegrationTest {
    @Autowired
    private TokenUsageRecorder recorder;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ALERT = "/api/settings/app-config/"
            + URLEncoder.encode("Alert On Token Use From New Address", StandardCharsets.UTF_8).replace("+", "%20");

    private Api.Response use(String token, String userAgent) {
        return api.call("GET", "/api/me", null, Map.of("Authorization", "Bearer " + token, "User-Agent", userAgent));
    }

    private static List<String> events(JsonNode history, String type) {
        List<String> found = new ArrayList<>();
        history.forEach(e -> {
            if (e.toString().contains("\"" + type + "\"") || e.path("type").asText().endsWith(type)) {
                found.add(e.toString());
            }
        });
        return found;
    }

    @Test
    void theUsageListsEachAddressWithItsCountsAndItsFirstUseIsAudited() {
        String admin = adminToken();
        String name = unique("used");
        String ownerId = api.createUser(admin, name, "USER", Api.PASSWORD);
        JsonNode created = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "ci")).json();
        String token = created.get("token").asText();
        String tokenId = created.get("id").asText();
        String usage = "/api/tokens/" + tokenId + "/usage";
        assertThat(api.get(usage, admin).json()).isEmpty();

        // A known address is written again only once per record interval (minutes): the four uses are held back
        // from the periodic flush, which takes the recorder's lock, so that they are written in the same one.
        synchronized (recorder) {
            for (int i = 0; i < 3; i++) {
                assertThat(use(token, "deploy-bot/1.0").status()).isEqualTo(200);
            }
            assertThat(use(token, "curl/8.5").status()).isEqualTo(200);
        }

        JsonNode listed = await().atMost(WAIT).until(() -> api.get(usage, admin).json(), l -> l.size() == 2);
        Map<String, JsonNode> byAgent = Map.of(listed.get(0).get("userAgent").asText(), listed.get(0),
                listed.get(1).get("userAgent").asText(), listed.get(1));
        assertThat(byAgent.get("deploy-bot/1.0").get("count").asLong()).isEqualTo(3);
        assertThat(byAgent.get("curl/8.5").get("count").asLong()).isEqualTo(1);
        assertThat(byAgent.get("curl/8.5").get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(byAgent.get("curl/8.5").has("client")).isFalse();
        assertThat(byAgent.get("curl/8.5").get("firstSeenAt").asText()).isNotEmpty();
        assertThat(byAgent.get("curl/8.5").get("lastSeenAt").asText()).isNotEmpty();

        String owner = api.login(name, Api.PASSWORD);
        assertThat(api.get(usage, owner).status()).isEqualTo(200);
        String otherName = unique("other");
        api.createUser(admin, otherName, "USER", Api.PASSWORD);
        String other = api.login(otherName, Api.PASSWORD);
        assertThat(api.get(usage, other).status()).isEqualTo(404);
        assertThat(api.get("/api/tokens/00000000-0000-0000-0000-000000000000/usage", admin).status()).isEqualTo(404);

        JsonNode history = await().atMost(WAIT).until(
                () -> api.get("/api/audit/tokens/" + tokenId + "/events", admin).json(),
                h -> events(h, "TokenUsedFromNewAddress").size() == 2);
        assertThat(history.toString()).contains("deploy-bot/1.0", "curl/8.5").doesNotContain(token);

        for (int i = 0; i < 3; i++) {
            use(token, "deploy-bot/1.0");
        }
        await().pollDelay(Duration.ofSeconds(5)).atMost(WAIT).until(() -> true);
        assertThat(events(api.get("/api/audit/tokens/" + tokenId + "/events", admin).json(),
                "TokenUsedFromNewAddress")).as("a known address is no new event").hasSize(2);
    }

    @Test
    void aNewAddressOfATokenPastItsFirstDayRaisesAFaultWhenAskedFor() {
        String admin = adminToken();
        assertThat(api.put(ALERT, admin, Map.of("value", "yes")).status()).isEqualTo(400);
        assertThat(api.put(ALERT, admin, Map.of("value", "TRUE")).json().get("value").asText()).isEqualTo("true");
        try {
            String ownerId = api.createUser(admin, unique("alerted"), "USER", Api.PASSWORD);
            JsonNode old;
            Clock real = GenericEventMessage.clock;
            GenericEventMessage.clock = Clock.offset(real, Duration.ofHours(-25));
            try {
                old = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "old")).json();
            } finally {
                GenericEventMessage.clock = real;
            }
            JsonNode fresh = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "fresh")).json();
            String oldId = old.get("id").asText();
            String freshId = fresh.get("id").asText();

            use(old.get("token").asText(), "stranger/2.0");
            use(fresh.get("token").asText(), "stranger/2.0");

            JsonNode faults = await().atMost(WAIT).until(
                    () -> api.get("/api/faults?tokenId=" + oldId, admin).json().get("items"), f -> f.size() == 1);
            assertThat(faults.get(0).get("type").asText()).isEqualTo("TOKEN_USED_FROM_NEW_ADDRESS");
            assertThat(faults.get(0).get("status").asText()).isEqualTo("OPEN");

            await().atMost(WAIT).until(() -> events(api.get("/api/audit/tokens/" + freshId + "/events", admin)
                    .json(), "TokenUsedFromNewAddress").size() == 1);
            assertThat(api.get("/api/faults?tokenId=" + freshId, admin).json().get("items"))
                    .as("a token in its first day").isEmpty();

            use(old.get("token").asText(), "stranger/2.0");
            await().pollDelay(Duration.ofSeconds(5)).atMost(WAIT).until(() -> true);
            assertThat(api.get("/api/faults?tokenId=" + oldId, admin).json().get("items")).hasSize(1);

            assertThat(api.post("/api/tokens/" + oldId + "/revoke", admin, Map.of("reason", "done")).status())
                    .isEqualTo(200);
            assertThat(api.get("/api/faults?tokenId=" + oldId, admin).json().at("/items/0/status").asText())
                    .as("revoking the token clears its fault").isEqualTo("CLEARED");
            api.post("/api/tokens/" + freshId + "/revoke", admin, Map.of("reason", "done"));
        } finally {
            api.delete(ALERT, admin);
        }
    }
}
