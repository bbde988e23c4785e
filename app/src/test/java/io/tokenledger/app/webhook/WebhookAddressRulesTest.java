package io.tokenledger.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The SSRF rules as production has them (the other tests allow plain HTTP on loopback): only https, and no
 * loopback, link-local or private address, whether given as such or as a name resolving to one, both when an
 * endpoint is registered or changed and again before each delivery.
 */
// A database of its own: the shared one's other instances (test settings) would deliver what this one refuses.
@TestPropertySource(properties = {"tokenledger.webhooks.allow-http=false",
        "tokenledger.webhooks.allow-private-addresses=false",
        "tokenledger.data-dir=target/test-data-webhook-rules"})
// Its own context must not stay alive beside the shared one once its tests are done.
@DirtiesContext
class WebhookAddressRulesTest extends IntegrationTest {
    @Autowired
    JdbcTemplate jdbc;

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://[::1]/hook", "https://localhost:8443/hook",
            "https://169.254.169.254/latest/meta-data/iam/security-credentials/", "https://10.0.0.7/hook",
            "https://172.16.5.4/hook", "https://192.168.0.1/hook", "https://[fd00::1]/hook", "https://0.0.0.0/hook",
            "http://8.8.8.8/hook"})
    void anEndpointOnALocalOrPrivateAddressOrWithoutTlsIsRefusedAndNothingStored(String url) {
        String admin = adminToken();
        long before = count();
        Api.Response refused = api.post("/api/webhooks", admin, Map.of("url", url, "events", List.of("*")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("url");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void anEndpointWhoseAddressTurnedPrivateAfterRegistrationIsNotSentTo() {
        String admin = adminToken();
        Api.Response created = api.post("/api/webhooks", admin, Map.of("url", "https://93.184.216.34/hook",
                "events", List.of("*")));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.put("/api/webhooks/" + id, admin, Map.of("url", "https://127.0.0.1/hook")).status())
                .isEqualTo(400);
        try (Receiver receiver = new Receiver()) {
            // what a DNS answer changed after the registration amounts to: the stored endpoint now leads to loopback
            jdbc.update("UPDATE webhook_endpoint SET url = ? WHERE id = ?", receiver.url("/internal"),
                    UUID.fromString(id));
            assertThat(api.post("/api/webhooks/" + id + "/test", admin, null).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode delivery = api.get("/api/webhooks/" + id + "/deliveries", admin).json().get("items").get(0);
                assertThat(delivery.get("status").asText()).isEqualTo("FAILED");
                assertThat(delivery.get("lastError").asText()).contains("refused", "127.0.0.1");
            });
            assertThat(receiver.requests()).isEmpty();
        } finally {
            api.delete("/api/webhooks/" + id, admin);
        }
    }

    private long count() {
        return jdbc.queryForObject("SELECT count(*) FROM webhook_endpoint", Long.class);
    }
}
