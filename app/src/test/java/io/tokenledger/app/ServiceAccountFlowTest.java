package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Service accounts over real HTTP and in the console: no password, no login, permanent tokens made by admins, and a
 * contact address that gets the expiry warnings.
 */
class ServiceAccountFlowTest extends IntegrationTest {
    @Autowired
    EventGateway events;

    private static Map<String, Object> account(String name, String password) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("username", name, "email", "team-" + name
                + "@example.com", "displayName", "CI of " + name, "role", "USER", "kind", "SERVICE_ACCOUNT"));
        if (password != null) {
            body.put("password", password);
        }
        return body;
    }

    @Test
    void aServiceAccountHasNoPasswordNeverLogsInAndHoldsTokensAnAdminMakes() {
        String admin = adminToken();
        String name = unique("svc");
        Api.Response withPassword = api.post("/api/users", admin, account(name, Api.PASSWORD));
        assertThat(withPassword.status()).isEqualTo(400);
        assertThat(withPassword.json().at("/errors/0/field").asText()).isEqualTo("password");

        Api.Response created = api.post("/api/users", admin, account(name, null));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.json().get("id").asText();
        JsonNode view = api.get("/api/users/" + id, admin).json();
        assertThat(view.get("kind").asText()).isEqualTo("SERVICE_ACCOUNT");
        assertThat(view.get("email").asText()).isEqualTo("team-" + name + "@example.com");
        assertThat(view.toString()).doesNotContain("passwordHash");

        for (String password : List.of("", Api.PASSWORD, "anything-at-all-here")) {
            Api.Response login = api.post("/api/auth/login", null, Map.of("username", name, "password", password));
            assertThat(login.status()).as("login with '%s'", password).isIn(400, 401);
        }
        assertThat(api.post("/api/users/" + id + "/password", admin, Map.of("newPassword", "Violet-Harbour-Quill-17"))
                .status()).isEqualTo(409);

        String token = api.post("/api/users/" + id + "/tokens", admin, Map.of("name", "deploy")).json().get("token")
                .asText();
        assertThat(api.get("/api/me", token).json().get("username").asText()).isEqualTo(name);

        // a person still needs a password
        Api.Response person = api.post("/api/users", admin, Map.of("username", unique("p"), "email", "p@example.com",
                "displayName", "P", "role", "USER"));
        assertThat(person.status()).isEqualTo(400);
        assertThat(person.json().at("/errors/0/field").asText()).isEqualTo("password");
        assertThat(api.post("/api/users", admin, Map.of("username", unique("k"), "email", "k@example.com",
                "role", "USER", "kind", "ROBOT")).status()).isEqualTo(400);
    }

    @Test
    void itsExpiryWarningsGoToItsContactAddress() {
        String admin = adminToken();
        String name = unique("svc-mail");
        String id = api.post("/api/users", admin, account(name, null)).json().get("id").asText();
        JsonNode token = api.post("/api/users/" + id + "/tokens", admin, Map.of("name", "deploy")).json();
        events.publish(new TokenExpiryApproaching(TokenId.of(token.get("id").asText()), UserId.of(id), "deploy",
                token.get("hint").asText(), Instant.parse(token.get("expiresAt").asText()), 7, Instant.now()));
        JsonNode mails = api.get("/api/notifications?tokenId=" + token.get("id").asText(), admin).json();
        List<String> recipients = new ArrayList<>();
        mails.get("items").forEach(m -> recipients.add(m.get("recipient").asText()));
        assertThat(recipients).contains("team-" + name + "@example.com");
    }

    @Test
    void theConsoleListsTheKindAndItsAddFormMakesAServiceAccount() {
        String admin = adminToken();
        String name = unique("svc-console");
        Api.Response added = api.call("POST", "/admin/users", "username=" + name + "&email="
                        + URLEncoder.encode("team@example.com", StandardCharsets.UTF_8)
                        + "&displayName=&role=USER&kind=SERVICE_ACCOUNT&password=",
                Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/x-www-form-urlencoded"));
        assertThat(added.status()).as(added.raw()).isEqualTo(302);
        String page = api.get("/admin/users?q=" + name, admin).raw();
        assertThat(page).contains("<option value=\"SERVICE_ACCOUNT\">Service account</option>");
        int row = page.indexOf(">" + name + "</a>");
        assertThat(row).isPositive();
        assertThat(page.substring(row, page.indexOf("</tr>", row))).contains("Service account");
        String userPage = api.get(added.header("Location").replaceFirst("^https?://[^/]+", ""), admin).raw();
        assertThat(userPage).contains("Service account").doesNotContain("reset-password-form");

        Api.Response refused = api.call("POST", "/admin/users", "username=" + unique("svc-pw")
                        + "&email=t%40example.com&role=USER&kind=SERVICE_ACCOUNT&password=Staple-Lantern-Orbit-42",
                Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/x-www-form-urlencoded"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.raw()).contains("must not be given for a service account");
    }
}
