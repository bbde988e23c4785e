package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded default keeps its data across a restart of the application and of PostgreSQL. */
class RestartTest {

    private static ConfigurableApplicationContext start(Path dataDir) {
        return Instances.start("--tokenledger.data-dir=" + dataDir);
    }

    @Test
    void aTokenThatExpiredWhileTheAppWasDownIsExpiredOnceAfterStart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "expiry-");
        String tokenId;
        String plaintext;
        Instant expiresAt;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = Instances.api((first));
            String admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
            String userId = api.createUser(admin, "short-lived", "USER", Api.PASSWORD);
            expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
            Api.Response created = api.post("/api/users/" + userId + "/tokens", admin,
                    Map.of("name", "brief", "expiresAt", expiresAt.toString()));
            assertThat(created.status()).isEqualTo(201);
            tokenId = created.json().get("id").asText();
            plaintext = created.json().get("token").asText();
            assertThat(api.get("/api/tokens/self", plaintext).status()).isEqualTo(200);
        }
        EmbeddedPostgresStarter.stop(dataDir);
        while (Instant.now().isBefore(expiresAt.plusSeconds(1))) {
            Thread.sleep(200); // the app is down while the expiry passes: real time has to pass here
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = Instances.api((second));
            String admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
            assertThat(api.get("/api/tokens/self", plaintext).status()).isEqualTo(401);
            assertThat(api.get("/api/tokens/" + tokenId, admin).json().get("status").asText()).isEqualTo("EXPIRED");
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            long deadline = System.currentTimeMillis() + 20_000;
            long expired = 0;
            while (expired == 0 && System.currentTimeMillis() < deadline) {
                expired = countExpired(jdbc, tokenId);
                Thread.sleep(100);
            }
            assertThat(expired).as("TokenExpired fired on start").isEqualTo(1);
            Thread.sleep(3_000); // a further polling round of the scheduler must not fire it again
            assertThat(countExpired(jdbc, tokenId)).isEqualTo(1);
            // (the recurring tasks, new addresses every 2 s and the daily inactivity run, are due by design)
            assertThat(jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE execution_time < now() "
                    + "AND task_name NOT IN ('token-address-announcements', 'token-inactivity')", Long.class)).isZero();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM expiry_warning WHERE token_id = ?::uuid", Long.class,
                    tokenId)).as("its warning plan ends with it").isZero();
        } finally {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }

    private static long countExpired(JdbcTemplate jdbc, String tokenId) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? AND payload_type LIKE '%.TokenExpired'", Long.class, tokenId);
        return n == null ? 0 : n;
    }

    @Test
    void usersSurviveARestart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "restart-");
        String name = "survivor";
        String id;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = Instances.api((first));
            id = api.createUser(api.login("admin", IntegrationTest.ADMIN_PASSWORD), name, "USER", Api.PASSWORD);
        }
        EmbeddedPostgresStarter.stop(dataDir);

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = Instances.api((second));
            String admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
            assertThat(api.get("/api/users/" + id, admin).json().get("username").asText()).isEqualTo(name);
            assertThat(api.get("/api/me", api.login(name, Api.PASSWORD)).json().get("id").asText()).isEqualTo(id);
            assertThat(api.get("/api/users?size=200", admin).json().get("total").asLong()).isEqualTo(2);
        } finally {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }
}
