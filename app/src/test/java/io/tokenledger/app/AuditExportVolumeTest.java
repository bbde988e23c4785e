package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenUsed;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An export of 100 000 events streams from a database cursor: the first lines reach the client while the query is
 * still open, the heap does not grow with the export, and a failure part-way breaks the download instead of
 * ending it like a complete file. Runs on its own database so the shared one stays small.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditExportVolumeTest {
    private static final int EVENTS = 100_000;
    private static final int BATCH = 1_000;
    /** Lines the client reads before it stops reading for a while. */
    private static final int READ_BEFORE_PAUSE = 1_000;
    /** Heap growth allowed while the server is blocked part-way through the export. */
    private static final long HEAP_BOUND = 32L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The export's query while its cursor is open: running, or between two fetches of its transaction. */
    private static final String EXPORT_OPEN = """
            SELECT pid FROM pg_stat_activity
            WHERE query LIKE 'SELECT * FROM audit_event%ORDER BY global_index' AND pid <> pg_backend_pid()
              AND state IN ('active', 'idle in transaction')""";

    private static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static JdbcTemplate jdbc;
    private static String exportUrl;
    private static String admin;

    @BeforeAll
    static void seed() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "audit-export-");
        app = Instances.start("--tokenledger.data-dir=" + dataDir);
        jdbc = app.getBean(JdbcTemplate.class);
        EventBus events = app.getBean(EventBus.class);
        int port = Instances.port(app);
        // Logged in before the credentials projection stops; first used (and recorded) after the seeded range.
        admin = new Api(port).login("admin", IntegrationTest.ADMIN_PASSWORD);
        // The other processors (the audit chain above all) would spend minutes on the copies; only the audit log
        // matters here.
        app.getBean(EventProcessingConfiguration.class).eventProcessors().forEach((name, processor) -> {
            if (!name.equals("audit-log")) {
                processor.shutDown();
            }
        });

        // One event through Axon gives the stored form and its audit row (written in the same transaction); the
        // rest are copies of both, each with its own event and token id, written by PostgreSQL in one statement.
        // The store keeps times to the millisecond.
        Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long seeding = System.nanoTime();
        TokenId template = TokenId.random();
        events.publish(GenericEventMessage.asEventMessage(new TokenUsed(template, Instant.now(), "198.51.100.1")));
        jdbc.update("""
                WITH t AS (SELECT * FROM domain_event_entry
                           WHERE payload_type LIKE '%.TokenUsed' AND convert_from(payload, 'UTF8') LIKE ?),
                     copies AS (
                    INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                        time_stamp, payload_type, payload_revision, payload, meta_data)
                    SELECT c.id, c.id, 0, NULL, t.time_stamp, t.payload_type, t.payload_revision,
                           convert_to(replace(convert_from(t.payload, 'UTF8'), ?, c.id), 'UTF8'), t.meta_data
                    FROM t, LATERAL (SELECT gen_random_uuid()::text AS id, n FROM generate_series(2, ?) n) c
                    ORDER BY c.n
                    RETURNING global_index, event_identifier)
                INSERT INTO audit_event (global_index, event_id, aggregate_id, sequence_number, type, occurred_at,
                    actor_id, actor_username, actor_role, client_ip, user_agent, request_id, correlation_id, trace_id,
                    deadline, user_id, token_id, payload)
                SELECT c.global_index, c.event_identifier, c.event_identifier, a.sequence_number, a.type, a.occurred_at,
                       a.actor_id, a.actor_username, a.actor_role, a.client_ip, a.user_agent, a.request_id,
                       a.correlation_id, a.trace_id, a.deadline, a.user_id, c.event_identifier::uuid,
                       replace(a.payload::text, ?, c.event_identifier)::jsonb
                FROM copies c, t JOIN audit_event a ON a.event_id = t.event_identifier""",
                "%" + template + "%", template.toString(), EVENTS, template.toString());
        long seeded = System.nanoTime();
        Instant to = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE type = 'TokenUsed'", Long.class))
                .isEqualTo(EVENTS);
        System.out.printf("audit export volume: seeded %d events with their audit rows in %d ms (%.0f events/s)%n",
                EVENTS, (seeded - seeding) / 1_000_000, EVENTS / ((seeded - seeding) / 1e9));

        exportUrl = "http://localhost:" + port + "/api/audit/events?type=TokenUsed&from=" + from + "&to=" + to;
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

    private static HttpURLConnection export() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(exportUrl).toURL().openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + admin);
        connection.setRequestProperty("Accept", "application/x-ndjson");
        connection.setReadTimeout(30_000);
        assertThat(connection.getResponseCode()).isEqualTo(200);
        return connection;
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Waits until the server has filled the connection's buffers and is blocked with its cursor open. */
    private static List<Integer> awaitBlockedWithCursorOpen() throws InterruptedException {
        Thread.sleep(1_000);
        List<Integer> open = jdbc.queryForList(EXPORT_OPEN, Integer.class);
        assertThat(open).as("the export's query is still open while the client has read only part of it").hasSize(1);
        return open;
    }

    @Test
    void streamsEveryEventWithoutHoldingTheExportInMemory() throws Exception {
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        long lines = 0;
        long bytes = 0;
        long lastIndex = 0;
        long heapPaused;
        HttpURLConnection connection = export();
        try (BufferedReader body = new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = body.readLine(); line != null; line = body.readLine()) {
                JsonNode event = JSON.readTree(line);
                assertThat(event.get("type").asText()).isEqualTo("TokenUsed");
                assertThat(event.get("globalIndex").asLong()).isGreaterThan(lastIndex);
                lastIndex = event.get("globalIndex").asLong();
                lines++;
                bytes += line.length() + 1;
                if (lines == READ_BEFORE_PAUSE) {
                    awaitBlockedWithCursorOpen();
                    heapPaused = usedHeap();
                    System.out.printf("audit export volume: heap %d MiB before the export, %d MiB while it is "
                            + "blocked after %d lines%n", heapBefore >> 20, heapPaused >> 20, lines);
                    assertThat(heapPaused - heapBefore).as("heap growth while streaming").isLessThan(HEAP_BOUND);
                }
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("audit export volume: streamed %d lines (%d MB) in %d ms (pause of about 1.5 s included);"
                + " heap %d MiB after%n", lines, bytes / 1_000_000, millis, usedHeap() >> 20);
        assertThat(lines).isEqualTo(EVENTS);
        assertThat(jdbc.queryForList(EXPORT_OPEN, Integer.class)).as("the export's transaction ended").isEmpty();
    }

    @Test
    void aFailurePartWayIsLoggedAndBreaksTheDownload(CapturedOutput output) throws Exception {
        HttpURLConnection connection = export();
        try (BufferedReader body = new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> tail = new ArrayList<>();
            assertThatThrownBy(() -> {
                long read = 0;
                for (String line = body.readLine(); line != null; line = body.readLine()) {
                    if (++read == READ_BEFORE_PAUSE) {
                        for (int pid : awaitBlockedWithCursorOpen()) {
                            jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, pid);
                        }
                    }
                    tail.add(line);
                    if (tail.size() > 3) {
                        tail.remove(0);
                    }
                }
            }).as("the download breaks instead of ending like a complete file").isInstanceOf(IOException.class);
            assertThat(String.join("\n", tail)).doesNotContain("urn:tokenledger:problem")
                    .doesNotContain("Exception").doesNotContain("at org.");
        }
        long deadline = System.currentTimeMillis() + 5_000;
        while (!output.getAll().contains("Audit export as NDJSON failed part-way")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(output.getAll()).contains("Audit export as NDJSON failed part-way");
        assertThat(output.getAll()).as("the failure is logged where it happened, not again as an unexpected error")
                .containsOnlyOnce("failed part-way\n").doesNotContain("Unexpected error, reference");
    }

    @Test
    void aClientThatLeavesEndsTheExportQuietly(CapturedOutput output) throws Exception {
        int before = output.getAll().length();
        HttpURLConnection connection = export();
        BufferedReader body = new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < READ_BEFORE_PAUSE; i++) {
            assertThat(body.readLine()).isNotNull();
        }
        connection.disconnect();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!output.getAll().substring(before).contains("the client went away")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        String log = output.getAll().substring(before);
        assertThat(log).contains("Audit export as NDJSON ended early: the client went away").doesNotContain(" ERROR ");
        assertThat(jdbc.queryForList(EXPORT_OPEN, Integer.class)).as("the export's transaction ended").isEmpty();
    }
}
