package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The read models are written in the command's own transaction: a write answered 2xx is read at once through any
 * instance, and a read model that cannot take an event fails the command with nothing stored.
 */
class WritePathTest extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aProjectionThatFailsFailsItsCommandWithA5xxProblemAndNothingIsStored() {
        String admin = adminToken();
        String owner = api.createUser(admin, unique("owner"), "USER", "a-long-password");
        long events = count("SELECT count(*) FROM domain_event_entry");
        long audit = count("SELECT count(*) FROM audit_event");
        long credentials = count("SELECT count(*) FROM credential");
        long names = count("SELECT count(*) FROM token_name_claim");
        long active = count("SELECT count(*) FROM active_token_of_user");
        long deadlines = count("SELECT count(*) FROM scheduled_tasks");
        // The token inventory refuses this one token's row: its handler fails as a broken projection would.
        String name = unique("refused-by-projection");
        jdbc.execute("ALTER TABLE token_view ADD CONSTRAINT projection_fails CHECK (name <> '" + name + "')");
        try {
            Api.Response refused = api.post("/api/users/" + owner + "/tokens", admin, Map.of("name", name));
            assertThat(refused.status()).as(refused.raw()).isEqualTo(500);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.raw()).doesNotContain("projection_fails", "token_view", "Exception", "tlp_");
        } finally {
            jdbc.execute("ALTER TABLE token_view DROP CONSTRAINT projection_fails");
        }
        assertThat(count("SELECT count(*) FROM domain_event_entry")).as("events").isEqualTo(events);
        assertThat(count("SELECT count(*) FROM audit_event")).as("audit log").isEqualTo(audit);
        assertThat(count("SELECT count(*) FROM credential")).as("credentials").isEqualTo(credentials);
        assertThat(count("SELECT count(*) FROM token_name_claim")).as("name claims").isEqualTo(names);
        assertThat(count("SELECT count(*) FROM active_token_of_user")).as("active tokens").isEqualTo(active);
        assertThat(count("SELECT count(*) FROM scheduled_tasks")).as("deadlines").isEqualTo(deadlines);

        // Nothing half-done stands in the way: the same request succeeds once the read model takes it.
        Api.Response created = api.post("/api/users/" + owner + "/tokens", admin, Map.of("name", name));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
    }

    @Test
    void aWriteAnsweredThroughOneInstanceIsReadAtOnceThroughAnother() {
        String admin = adminToken();
        try (ConfigurableApplicationContext other = Instances.start()) {
            Api there = Instances.api(other);
            for (int i = 0; i < 20; i++) {
                String name = unique("rw");
                String user = api.createUser(admin, name, "USER", "a-long-password");
                assertThat(there.get("/api/users/" + user, admin).json().get("username").asText()).isEqualTo(name);

                Api.Response created = there.post("/api/users/" + user + "/tokens", admin, Map.of("name", "t" + i));
                assertThat(created.status()).as(created.raw()).isEqualTo(201);
                String tokenId = created.json().get("id").asText();
                String token = created.json().get("token").asText();
                assertThat(api.get("/api/tokens/" + tokenId, admin).json().get("status").asText())
                        .isEqualTo("ACTIVE");
                assertThat(api.get("/api/me", token).status()).isEqualTo(200);

                assertThat(api.post("/api/tokens/" + tokenId + "/revoke", admin, Map.of("reason", "done"))
                        .status()).isEqualTo(200);
                assertThat(there.get("/api/tokens/" + tokenId, admin).json().get("status").asText())
                        .isEqualTo("REVOKED");
                assertThat(there.get("/api/users/" + user + "/tokens", admin).raw()).contains("REVOKED");
            }
        }
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
