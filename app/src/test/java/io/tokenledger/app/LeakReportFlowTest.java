package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The secret scanners' report over real HTTP: anyone may send it, the answer is always 202 and says nothing, and each
 * active token in it is revoked with reason REPORTED_LEAKED, with a TOKEN_LEAKED fault and e-mails to its owner and
 * the notification list.
 */
class LeakReportFlowTest extends IntegrationTest {
    private static final String EMAILS = "/api/settings/app-config/"
            + URLEncoder.encode("User Token Expiration Notification Emails", StandardCharsets.UTF_8).replace("+", "%20");

    @Test
    void anActiveReportedTokenIsRevokedFaultedAndMailedAndTheAnswerTellsNothing() {
        String admin = adminToken();
        JsonNode before = null;
        for (JsonNode entry : api.get("/api/settings/app-config", admin).json()) {
            if (entry.get("key").asText().equals("User Token Expiration Notification Emails")) {
                before = entry.get("value");
            }
        }
        assertThat(api.put(EMAILS, admin, Map.of("value", "security@example.com")).status()).isEqualTo(200);
        try {
            String name = unique("leaker");
            String ownerId = api.createUser(admin, name, "USER", Api.PASSWORD);
            JsonNode leaked = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "leaked")).json();
            JsonNode revoked = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "old")).json();
            api.post("/api/tokens/" + revoked.get("id").asText() + "/revoke", admin, Map.of("reason", "old"));
            String token = leaked.get("token").asText();
            String tokenId = leaked.get("id").asText();

            Api.Response answer = report(api, List.of(token, revoked.get("token").asText(), "not-a-token",
                    TokenSecret.generate(TokenKind.PERMANENT).reveal()), "https://github.com/acme/app/blob/main/.env");
            assertThat(answer.status()).isEqualTo(202);
            assertThat(answer.raw()).isEmpty();
            Api.Response nothing = report(api, List.of("not-a-token"), null);
            assertThat(nothing.status()).isEqualTo(202);
            assertThat(nothing.raw()).isEqualTo(answer.raw());

            assertThat(api.get("/api/me", token).status()).isEqualTo(401);
            JsonNode view = api.get("/api/tokens/" + tokenId, admin).json();
            assertThat(view.get("status").asText()).isEqualTo("REVOKED");
            assertThat(view.get("revokeReason").asText()).isEqualTo("REPORTED_LEAKED");
            assertThat(api.get("/api/tokens/" + revoked.get("id").asText(), admin).json().get("revokeReason").asText())
                    .as("a token revoked before keeps its reason").isEqualTo("old");

            JsonNode faults = api.get("/api/faults?status=OPEN&size=200", admin).json();
            List<JsonNode> ours = new ArrayList<>();
            faults.get("items").forEach(f -> {
                if (f.get("tokenId").asText().equals(tokenId)) {
                    ours.add(f);
                }
            });
            assertThat(ours).hasSize(1);
            assertThat(ours.get(0).get("type").asText()).isEqualTo("TOKEN_LEAKED");
            assertThat(ours.get(0).get("daysBefore").isNull()).isTrue();

            JsonNode mails = api.get("/api/notifications?tokenId=" + tokenId + "&sort=recipient,asc", admin).json();
            List<String> recipients = new ArrayList<>();
            mails.get("items").forEach(m -> recipients.add(m.get("recipient").asText()));
            assertThat(recipients).containsExactly(name + "@example.com", "security@example.com");
            assertThat(mails.at("/items/0/subject").asText()).contains("leaked", "revoked");

            JsonNode history = api.get("/api/audit/tokens/" + tokenId + "/events", admin).json();
            assertThat(history.toString()).contains("TokenLeakReported", "github.com/acme/app")
                    .doesNotContain(token);

            // reported again: nothing more
            assertThat(report(api, List.of(token), null).status()).isEqualTo(202);
            assertThat(api.get("/api/notifications?tokenId=" + tokenId, admin).json().get("total").asLong())
                    .isEqualTo(2);
        } finally {
            if (before == null) {
                api.delete(EMAILS, admin);
            } else {
                api.put(EMAILS, admin, Map.of("value", before.asText()));
            }
        }
    }

    @Test
    void aReportOfMoreThanAThousandOrOfNothingIsABadRequest() {
        assertThat(report(api, Collections.nCopies(1001, "x"), null).status()).isEqualTo(400);
        assertThat(report(api, Collections.nCopies(1000, "x"), null).status()).isEqualTo(202);
        Api.Response none = api.post("/api/credentials/revoke", null, Map.of("source", "nothing"));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().at("/errors/0/field").asText()).isEqualTo("credentials");
    }

    // The limit per client address: PerClientLimitTest (every test's requests come from one address here).

    private static Api.Response report(Api client, List<String> credentials, String source) {
        Map<String, Object> body = source == null ? Map.of("credentials", credentials)
                : Map.of("credentials", credentials, "source", source);
        return client.post("/api/credentials/revoke", null, body);
    }
}
