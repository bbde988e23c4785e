package io.tokenledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Replaying the token inventory over about 200 000 stored events: 1 000 users, {@code bench.tokens} (default
 * 80 000) tokens created and used, half of them revoked, interleaved as a busy system writes them. Target: at
 * least 20 000 events/s. Runs on its own database; not part of the default run:
 * {@code mvn -B verify -Pbench -pl app -am -Dtest=ProjectionReplayBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class ProjectionReplayBenchmark {
    private static final int USERS = 1_000;
    private static final int TOKENS = Integer.getInteger("bench.tokens", 80_000);
    private static final int EVENTS = USERS + TOKENS * 2 + TOKENS / 2;

    private static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static JdbcTemplate jdbc;
    private static Api api;
    private static String admin;

    @BeforeAll
    static void seed() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "replay-volume-");
        app = Instances.start("--tokenledger.data-dir=" + dataDir);
        jdbc = app.getBean(JdbcTemplate.class);
        api = Instances.api(app);
        admin = api.login("admin", "admin-test-password");

        // One user and one token through the application give the stored form of each event; the rest are
        // copies of them with their own ids, written by PostgreSQL.
        String user = api.createUser(admin, "template-user", "USER", "password-1");
        Api.Response created = api.post("/api/users/" + user + "/tokens", admin, Map.of("name", "ci"));
        String token = created.json().get("id").asText();
        assertThat(api.get("/api/me", created.json().get("token").asText()).status()).isEqualTo(200);
        long deadline = System.currentTimeMillis() + 30_000;
        while (jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class,
                token) < 2) {
            assertThat(System.currentTimeMillis()).as("use recorded").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(api.post("/api/tokens/" + token + "/revoke", admin, Map.of("reason", "leaked")).status())
                .isEqualTo(200);
        // The live processors are not measured here; on two cores they would compete with the replay.
        app.getBean(EventProcessingConfiguration.class).eventProcessors().values().forEach(p -> p.shutDown());

        long seeding = System.nanoTime();
        jdbc.update("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                    time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT gen_random_uuid()::text, md5('user' || u)::uuid::text, 0, t.type, t.time_stamp, t.payload_type,
                       t.payload_revision, convert_to(replace(replace(convert_from(t.payload, 'UTF8'), ?,
                           md5('user' || u)::uuid::text), 'template-user', 'user-' || u), 'UTF8'), t.meta_data
                FROM domain_event_entry t, generate_series(1, ?) u
                WHERE t.aggregate_identifier = ? AND t.sequence_number = 0
                ORDER BY u""", user, USERS, user);
        // Token n is created, used 97 events later and, if even, revoked 97 events after that.
        jdbc.update("""
                INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                    time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT gen_random_uuid()::text, md5('token' || n)::uuid::text, t.sequence_number, t.type, t.time_stamp,
                       t.payload_type, t.payload_revision,
                       convert_to(replace(replace(convert_from(t.payload, 'UTF8'), ?, md5('token' || n)::uuid::text),
                           ?, md5('user' || (n % ? + 1))::uuid::text), 'UTF8'), t.meta_data
                FROM domain_event_entry t, generate_series(1, ?) n
                WHERE t.aggregate_identifier = ? AND (t.sequence_number < 2 OR n % 2 = 0)
                ORDER BY n + 97 * t.sequence_number, t.sequence_number""", token, user, USERS, TOKENS, token);
        System.out.printf("replay benchmark: seeded %d events in %d ms%n", EVENTS,
                (System.nanoTime() - seeding) / 1_000_000);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }

    @Test
    void rebuildsTheTokenInventoryAtTwentyThousandEventsPerSecond() throws Exception {
        long started = System.nanoTime();
        assertThat(api.post("/api/admin/projections/token-inventory/replay", admin, null).status()).isEqualTo(202);
        JsonNode replay;
        long deadline = System.currentTimeMillis() + 120_000;
        do {
            Thread.sleep(100);
            replay = StreamSupport.stream(api.get("/api/admin/projections", admin).json().spliterator(), false)
                    .filter(p -> p.get("name").asText().equals("token-inventory")).findFirst().orElseThrow();
            assertThat(System.currentTimeMillis()).as("replay done in time").isLessThan(deadline);
        } while (replay.get("replaying").asBoolean());
        long wall = (System.nanoTime() - started) / 1_000_000;

        JsonNode progress = replay.get("replayProgress");
        assertThat(progress.get("state").asText()).as(progress.toString()).isEqualTo("DONE");
        long applied = progress.get("eventsApplied").asLong();
        Duration took = Duration.between(Instant.parse(progress.get("startedAt").asText()),
                Instant.parse(progress.get("finishedAt").asText()));
        double rate = applied / (took.toMillis() / 1000.0);
        System.out.printf("replay benchmark: token-inventory applied %d events in %d ms (%.0f events/s); %d ms from"
                + " the request to seeing it done%n", applied, took.toMillis(), rate, wall);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events", applied);
        result.put("replayMillis", took.toMillis());
        result.put("eventsPerSecond", Math.round(rate));
        result.put("requestToDoneMillis", wall);
        result.put("processors", Runtime.getRuntime().availableProcessors());
        Path out = Path.of("target", "bench", "projection-replay.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(result));

        assertThat(applied).isGreaterThanOrEqualTo(EVENTS);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_view WHERE name = 'ci'", Long.class))
                .isEqualTo(TOKENS + 1L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_view WHERE name = 'ci' AND status = 'REVOKED'",
                Long.class)).isEqualTo(TOKENS / 2 + 1L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_view WHERE name = 'ci' AND last_used_at IS NOT NULL",
                Long.class)).isEqualTo(TOKENS + 1L);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT username) FROM token_view WHERE name = 'ci'", Long.class))
                .isEqualTo(USERS + 1L);
        assertThat(rate).as("events/s").isGreaterThanOrEqualTo(20_000);
    }
}
