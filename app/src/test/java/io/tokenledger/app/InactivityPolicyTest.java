package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.command.token.InactiveTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The inactivity policy over real HTTP and the real daily run, at chosen instants: a permanent token unused for N days
 * minus a minute is kept and its owner warned (once), at N days it is revoked with reason INACTIVE; a use in between
 * keeps a token. The tokens are created 40 days in the past (the event clock moved back), so that runs as of those
 * instants touch no token of other tests.
 */
class InactivityPolicyTest extends IntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KEY = "/api/settings/app-config/"
            + URLEncoder.encode("Revoke Permanent Tokens Unused For Days", StandardCharsets.UTF_8).replace("+", "%20");

    @Autowired
    InactiveTokens inactive;

    private JsonNode createdDaysAgo(String admin, String ownerId, String name, int days) {
        Clock real = GenericEventMessage.clock;
        GenericEventMessage.clock = Clock.offset(real, Duration.ofDays(-days));
        try {
            return api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", name)).json();
        } finally {
            GenericEventMessage.clock = real;
        }
    }

    private JsonNode mails(String admin, String tokenId) {
        return api.get("/api/notifications?tokenId=" + tokenId, admin).json().get("items");
    }

    @Test
    void anUnusedTokenIsWarnedOnceThenRevokedOnTheDayAndAUseKeepsIt() {
        String admin = adminToken();
        assertThat(api.put(KEY, admin, Map.of("value", "0")).status()).isEqualTo(400);
        assertThat(api.put(KEY, admin, Map.of("value", "3651")).status()).isEqualTo(400);
        assertThat(api.put(KEY, admin, Map.of("value", " 30 ")).json().get("value").asText()).isEqualTo("30");
        try {
            String name = unique("idle");
            String ownerId = api.createUser(admin, name, "USER", Api.PASSWORD);
            JsonNode idle = createdDaysAgo(admin, ownerId, "idle", 40);
            JsonNode used = createdDaysAgo(admin, ownerId, "used", 40);
            String idleId = idle.get("id").asText();
            String usedId = used.get("id").asText();
            Instant createdAt = Instant.parse(api.get("/api/tokens/" + idleId, admin).json().get("createdAt")
                    .asText());
            assertThat(api.get("/api/me", used.get("token").asText()).status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> !api.get("/api/tokens/" + usedId, admin).json().path("lastUsedAt")
                    .isNull());

            Instant dayBefore = createdAt.plus(Duration.ofDays(30)).minus(Duration.ofMinutes(1));
            inactive.run(dayBefore);
            assertThat(api.get("/api/tokens/" + idleId, admin).json().get("status").asText()).isEqualTo("ACTIVE");
            JsonNode warned = mails(admin, idleId);
            assertThat(warned).hasSize(1);
            assertThat(warned.get(0).get("recipient").asText()).isEqualTo(name + "@example.com");
            assertThat(warned.get(0).get("subject").asText()).contains("\"idle\"", "unused", "revoked");
            assertThat(mails(admin, usedId)).as("a token used since").isEmpty();

            inactive.run(dayBefore.plusSeconds(30));
            assertThat(mails(admin, idleId)).as("warned once per period of disuse").hasSize(1);

            inactive.run(createdAt.plus(Duration.ofDays(30)));
            JsonNode revoked = api.get("/api/tokens/" + idleId, admin).json();
            assertThat(revoked.get("status").asText()).isEqualTo("REVOKED");
            assertThat(revoked.get("revokeReason").asText()).isEqualTo("INACTIVE");
            assertThat(api.get("/api/me", idle.get("token").asText()).status()).isEqualTo(401);
            assertThat(api.get("/api/tokens/" + usedId, admin).json().get("status").asText()).isEqualTo("ACTIVE");
            assertThat(api.get("/api/audit/tokens/" + idleId + "/events", admin).json().toString())
                    .contains("TokenInactivityApproaching", "INACTIVE");

            inactive.run(createdAt.plus(Duration.ofDays(31)));
            assertThat(mails(admin, idleId)).as("nothing more for a revoked token").hasSize(1);
        } finally {
            api.delete(KEY, admin);
        }
    }

    @Test
    void withoutThePolicyNothingIsRevoked() {
        String admin = adminToken();
        api.delete(KEY, admin);
        String ownerId = api.createUser(admin, unique("kept"), "USER", Api.PASSWORD);
        JsonNode old = createdDaysAgo(admin, ownerId, "old", 40);
        assertThat(inactive.run(Instant.now()).revoked()).isZero();
        assertThat(api.get("/api/tokens/" + old.get("id").asText(), admin).json().get("status").asText())
                .isEqualTo("ACTIVE");
    }
}
