package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.app.webhook.Receiver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A token's plaintext appears in exactly one HTTP response and nowhere else: not in any table (text or
 * bytea, events included) and not in any log line, even with debug logging on.
 */
@ExtendWith(OutputCaptureExtension.class)
// Its own context (debug logging) must not stay alive beside the shared one, claiming processor segments.
@DirtiesContext
@TestPropertySource(properties = {
        "logging.level.io.tokenledger=DEBUG",
        "logging.level.org.axonframework=DEBUG",
        "logging.level.org.springframework.web=DEBUG",
        "logging.level.org.springframework.security=DEBUG",
        "logging.level.org.springframework.jdbc=DEBUG"})
class SecretsNeverStoredTest extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void plaintextTokensOccurInNoTableAndNoLogLine(CapturedOutput output) throws InterruptedException {
        List<String> secrets = new ArrayList<>();
        String admin = adminToken();
        secrets.add(admin);
        String name = unique("secret");
        api.createUser(admin, name, "USER", Api.PASSWORD);
        String user = api.login(name, Api.PASSWORD);
        secrets.add(user);
        api.get("/api/me", user);
        api.call("GET", "/api/me/temporary-token", null, Map.of("Cookie", "tl_session=" + user));
        api.post("/api/auth/logout", user, null);
        api.get("/api/me", user);

        String userId = api.get("/api/users?size=200&sort=createdAt,desc", admin).json().at("/items/0/id").asText();
        var permanent = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "ci")).json();
        secrets.add(permanent.get("token").asText());
        api.get("/api/tokens/self", permanent.get("token").asText());
        var rotated = api.post("/api/tokens/" + permanent.get("id").asText() + "/rotate", admin, null).json();
        secrets.add(rotated.get("token").asText());
        api.get("/api/tokens/self", rotated.get("token").asText());
        api.post("/api/tokens/" + rotated.get("id").asText() + "/revoke", admin, Map.of("reason", "test"));
        api.get("/api/tokens/self", rotated.get("token").asText());
        // the uses are written off the request path: the sweep covers them once they are
        long deadline = System.currentTimeMillis() + 15_000;
        while (jdbc.queryForObject("SELECT count(*) FROM token_usage WHERE token_id IN (?::uuid, ?::uuid)", Long.class,
                permanent.get("id").asText(), rotated.get("id").asText()) < 2) {
            assertThat(System.currentTimeMillis()).as("uses written in time").isLessThan(deadline);
            Thread.sleep(100);
        }

        String dump = dumpAllTables();
        assertThat(secrets).hasSize(4).allMatch(t -> t.matches("tl[pt]_[0-9A-Za-z]{38}"));
        for (String secret : secrets) {
            String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.US_ASCII));
            assertThat(dump).as("tables").doesNotContain(secret).doesNotContain(secret.substring(4, 36))
                    .doesNotContain(hex);
            assertThat(output.getAll()).as("logs").doesNotContain(secret).doesNotContain(secret.substring(4, 36));
            // the dump does hold what is stored instead: the hash
            String hash = TokenSecret.parse(secret).orElseThrow().hash().hex();
            assertThat(dump).contains(hash);
            assertThat(jdbc.queryForList("SELECT t::text FROM token_usage t", String.class)).as("token uses")
                    .noneMatch(row -> row.contains(hash));
        }
        assertThat(output.getAll()).as("debug logging was on").contains("DEBUG");
    }

    @Test
    void webhookSigningSecretsOccurInNoTableAndNoLogLine(CapturedOutput output) {
        String admin = adminToken();
        try (Receiver receiver = new Receiver()) {
            var created = api.post("/api/webhooks", admin, Map.of("url", receiver.url("/secret"),
                    "events", List.of("*"))).json();
            String id = created.get("id").asText();
            List<String> secrets = new ArrayList<>();
            secrets.add(created.get("secret").asText());
            secrets.add(api.post("/api/webhooks/" + id + "/rotate-secret", admin, null).json().get("secret").asText());
            assertThat(api.post("/api/webhooks/" + id + "/test", admin, null).status()).isEqualTo(202);
            long deadline = System.currentTimeMillis() + 15_000;
            while (receiver.requests().isEmpty()) {
                assertThat(System.currentTimeMillis()).as("test ping delivered in time").isLessThan(deadline);
                Thread.onSpinWait();
            }
            String dump = dumpAllTables();
            assertThat(secrets).hasSize(2).allMatch(t -> t.matches("whsec_[A-Za-z0-9+/]{43}="));
            for (String secret : secrets) {
                byte[] key = java.util.Base64.getDecoder().decode(secret.substring(6));
                String hex = HexFormat.of().formatHex(key);
                assertThat(dump).as("tables").doesNotContain(secret.substring(6)).doesNotContain(hex)
                        .doesNotContain(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.US_ASCII)));
                assertThat(output.getAll()).as("logs").doesNotContain(secret.substring(6)).doesNotContain(hex);
                assertThat(receiver.requests().get(0).headers().toString()).doesNotContain(secret.substring(6));
            }
            assertThat(api.get("/api/webhooks/" + id, admin).raw()).doesNotContain("whsec_");
            api.delete("/api/webhooks/" + id, admin);
        }
        assertThat(output.getAll()).as("debug logging was on").contains("DEBUG");
    }

    private String dumpAllTables() {
        StringBuilder dump = new StringBuilder();
        List<String> tables = jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class);
        assertThat(tables).contains("domain_event_entry", "credential", "user_view", "token_entry", "token_usage");
        for (String table : tables) {
            jdbc.query("SELECT t::text FROM \"" + table + "\" t", rs -> {
                dump.append(rs.getString(1)).append('\n');
            });
            // bytea columns (event payloads and metadata) also as decoded text
            for (String column : jdbc.queryForList("""
                    SELECT column_name FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name = ? AND data_type = 'bytea'""", String.class, table)) {
                jdbc.query("SELECT encode(\"" + column + "\", 'escape') FROM \"" + table + "\"", rs -> {
                    dump.append(rs.getString(1)).append('\n');
                });
            }
        }
        return dump.toString();
    }
}
