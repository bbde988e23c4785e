package io.tokenledger.app.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.app.Api;
import io.tokenledger.query.live.LiveUpdates;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.test.context.TestContextManager;

/**
 * The running application as the input properties use it: the cached Spring test context of the integration tests
 * (reached through Spring's context cache, so no second application starts), an admin session, fixtures to address,
 * and the oracle every generated request is held to. A refused request must answer a 4xx problem-details body
 * with no trace of the implementation and must change nothing: the event store's head, the command side's claims
 * and settings, the faults and their acknowledgements, the e-mail outbox and the projection replays are compared
 * before and after it.
 */
final class Ledger {
    static final String PASSWORD = "input-properties-password";
    private static final String ADMIN_PASSWORD = "admin-test-password";
    /** Words that only an implementation's insides put in a response: exception names, packages, stack frames. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at io.", "at java.", "at org.",
            "java.lang", "java.util", "jakarta.", "org.springframework", "com.fasterxml", "org.hibernate",
            "org.postgresql", "org.axonframework", "org.apache", "io.tokenledger.", "SQLState", "PSQL",
            "\"trace\"", "stackTrace");
    private static final String SNAPSHOT = """
            SELECT (SELECT coalesce(max(global_index), 0) FROM domain_event_entry) AS head,
                   (SELECT count(*) FROM username_claim) AS usernames,
                   (SELECT count(*) FROM token_name_claim) AS token_names,
                   (SELECT coalesce(string_agg(setting_key || '=' || value, ';' ORDER BY setting_key), '')
                      FROM setting_value) AS settings,
                   (SELECT count(*) FROM fault) AS faults,
                   (SELECT count(*) FROM fault WHERE acknowledged_at IS NOT NULL) AS acknowledged,
                   (SELECT count(*) FROM notification) AS notifications,
                   (SELECT coalesce(string_agg(name || ':' || state || ':' || started_at, ';' ORDER BY name), '')
                      FROM projection_replay) AS replays""";

    final int port;
    final Api api;
    final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;
    /** Segments each projection claimed when the properties started. */
    private final Map<String, Integer> trackingSegments;
    final String admin;
    final String adminId;
    /** A client from another loopback address: failed logins count against it, not against the other tests. */
    final Api otherClient;
    private final Map<String, String> settingsBefore;
    /** The ledger as the last request (or {@link #settle()}) left it: the next request's "before". */
    private Snapshot last;

    /** What a refused request must leave as it was. */
    record Snapshot(long head, long usernames, long tokenNames, String settings, long faults, long acknowledged,
                    long notifications, String replays) {
        /** Equal but for what deadlines and the notifier write on their own: events, faults, e-mails. */
        boolean sameBut(Snapshot other) {
            return usernames == other.usernames && tokenNames == other.tokenNames
                    && settings.equals(other.settings) && acknowledged == other.acknowledged
                    && replays.equals(other.replays);
        }
    }

    private Ledger(ApplicationContext context) {
        this.port = Integer.parseInt(Objects.requireNonNull(context.getEnvironment().getProperty("local.server.port")));
        this.api = new Api(port);
        this.otherClient = Api.at("http://127.0.0.2:" + port);
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.processing = context.getBean(EventProcessingConfiguration.class);
        this.admin = api.login("admin", ADMIN_PASSWORD);
        this.adminId = api.get("/api/me", admin).json().get("id").asText();
        this.settingsBefore = settings();
        warmUp();
        this.trackingSegments = trackingSegments();
    }

    /**
     * The ledger of the application context that the test class's annotations (those of the integration tests)
     * name, from Spring's context cache: it is started only if no test before started it.
     */
    static Ledger start(Class<?> testClass) {
        return new Ledger(new TestContextManager(testClass).getTestContext().getApplicationContext());
    }

    /** Puts the settings back as they were before the class's properties and writes the figures. */
    void finish() {
        restoreSettings();
        Figures.write();
    }

    /**
     * The admin token's first use is recorded (once per interval) by an event sent without waiting; it is made
     * here, and its event awaited, so that no refused request is blamed for it.
     */
    private void warmUp() {
        String requestId = "input-warm-up-" + UUID.randomUUID();
        api.call("GET", "/api/me", null, Map.of("Authorization", "Bearer " + admin, "X-Request-Id", requestId));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline && eventsOf(requestId) == 0) {
            pause(20);
        }
        settle();
    }

    /** Sends the probe as the admin and holds the answer to the oracle. */
    Api.Response send(String endpoint, Probe probe) {
        return send(endpoint, probe, api, admin);
    }

    /** Sends the probe without credentials from another client address (logins). */
    Api.Response sendAnonymously(String endpoint, Probe probe) {
        return send(endpoint, probe, otherClient, null);
    }

    private Api.Response send(String endpoint, Probe probe, Api client, String token) {
        Snapshot before = last != null ? last : snapshot();
        String requestId = "input-" + UUID.randomUUID();
        Map<String, String> headers = new HashMap<>(probe.headers());
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        headers.put("X-Request-Id", requestId);
        Api.Response response;
        // Until this request is judged, nothing is known of the ledger's state.
        last = null;
        try {
            response = client.call(probe.method(), probe.path(), probe.body(), headers);
        } catch (UncheckedIOException e) {
            Figures.violation(endpoint);
            throw new AssertionError("no answer to " + probe + ": " + e.getCause(), e);
        }
        int status = response.status();
        if (probe.expected() != null && status != probe.expected() && !refusedBeforeTheApplication(probe, response)) {
            Figures.violation(endpoint);
            throw new AssertionError("API.md prescribes " + probe.expected() + " but the answer was " + status + " "
                    + Probe.shorten(response.raw()) + "\n  for " + probe);
        }
        if (status >= 200 && status < 300) {
            Figures.accepted(endpoint);
            settle();
            assertReadModelsWork(endpoint, probe);
            return response;
        }
        try {
            assertNothingChanged(endpoint, probe, before, requestId);
            assertProblem(probe, response);
        } catch (AssertionError e) {
            Figures.violation(endpoint);
            throw e;
        }
        Figures.refused(endpoint, status);
        return response;
    }

    private static void assertProblem(Probe probe, Api.Response response) {
        int status = response.status();
        String seen = status + " " + Probe.shorten(response.raw()) + "\n  for " + probe;
        assertThat(status).as("a refusal, not a server error or a redirect: %s", seen).isBetween(400, 499);
        assertThat(response.contentType()).as("content type of %s", seen).startsWith("application/problem+json");
        JsonNode problem;
        try {
            problem = response.json();
        } catch (UncheckedIOException e) {
            throw new AssertionError("problem body is not JSON: " + seen, e);
        }
        for (String member : List.of("type", "title", "detail")) {
            assertThat(problem.path(member).isTextual() && !problem.path(member).asText().isBlank())
                    .as("'%s' of %s", member, seen).isTrue();
        }
        assertThat(problem.path("status").isInt() && problem.path("status").asInt() == status)
                .as("'status' equal to the HTTP status in %s", seen).isTrue();
        if (problem.has("errors") || problem.path("type").asText().endsWith(":validation")) {
            JsonNode errors = problem.path("errors");
            assertThat(errors.isArray() && !errors.isEmpty()).as("'errors' of a validation problem %s", seen).isTrue();
            errors.forEach(error -> assertThat(error.path("field").isTextual() && error.path("message").isTextual()
                    && !error.path("message").asText().isBlank())
                    .as("{field, message} in 'errors' of %s", seen).isTrue());
        }
        for (String leak : LEAKS) {
            assertThat(response.raw()).as("no implementation detail in %s", seen).doesNotContain(leak);
        }
    }

    private void assertNothingChanged(String endpoint, Probe probe, Snapshot before, String requestId) {
        Snapshot after = snapshot();
        last = after;
        if (after.equals(before)) {
            return;
        }
        List<Map<String, Object>> events = jdbc.queryForList("""
                SELECT global_index, payload_type, convert_from(meta_data, 'UTF8') AS meta
                  FROM domain_event_entry WHERE global_index > ? ORDER BY global_index""", before.head());
        boolean written = events.stream().anyMatch(e -> String.valueOf(e.get("meta")).contains(requestId));
        boolean byRequests = events.stream().anyMatch(e -> String.valueOf(e.get("meta")).contains("\"requestId\""));
        if (!written && !byRequests && after.sameBut(before)) {
            // A deadline fired (a token of another test expired or warned) while this request ran.
            Figures.background(endpoint);
            return;
        }
        fail("a refused request changed the ledger:\n  before %s\n  after  %s\n  events %s\n  for %s",
                before, after, events, probe);
    }

    /**
     * An accepted request must not have stored what a read model cannot take (a NUL that PostgreSQL refuses): every
     * projection has all the segments it had at the start, none in error, each at the event store's head (bounded
     * wait). A failing projection releases its segment, so the segments are counted, not only their errors.
     */
    private void assertReadModelsWork(String endpoint, Probe probe) {
        long head = snapshot().head();
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> failing;
        while (!(failing = processorsNotAt(head)).isEmpty() && System.nanoTime() < deadline) {
            pause(20);
        }
        if (!failing.isEmpty()) {
            Figures.violation(endpoint);
            fail("processors %s failed on what an accepted request stored (event %d)\n  for %s", failing, head, probe);
        }
    }

    /**
     * A body over the size limit is refused 413 by the application's first filter, unless Tomcat refused the request
     * line or headers before the application saw it at all (an encoded NUL in the path, say): a 400 problem of its
     * own, which names no {@code instance}.
     */
    private static boolean refusedBeforeTheApplication(Probe probe, Api.Response response) {
        return probe.expected() == 413 && response.status() == 400 && response.raw().startsWith("{")
                && !response.json().has("instance");
    }

    /** The tracking processors that lack a segment, have one in error, or have one short of this position. */
    private List<String> processorsNotAt(long position) {
        List<String> failing = new ArrayList<>();
        trackingSegments.forEach((name, segments) -> {
            StreamingEventProcessor processor = processing.eventProcessor(name, StreamingEventProcessor.class)
                    .orElseThrow();
            Map<Integer, EventTrackerStatus> status = Map.copyOf(processor.processingStatus());
            if (processor.isError() || status.size() < segments || status.values().stream().anyMatch(s ->
                    s.isErrorState() || s.getCurrentPosition().orElse(-1) < position)) {
                failing.add(name);
            }
        });
        return failing;
    }

    /**
     * How many segments each tracking processor (the audit chain) has claimed, once it is at
     * the head. The read models are written in the command's transaction: one that cannot take an event fails the
     * request (a 5xx the property tests would report) and stores nothing.
     */
    private Map<String, Integer> trackingSegments() {
        Map<String, Integer> segments = new TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (!name.equals(LiveUpdates.GROUP) && processor instanceof StreamingEventProcessor streaming) {
                segments.put(name, streaming.processingStatus().size());
            }
        });
        return segments;
    }

    Snapshot snapshot() {
        return jdbc.queryForObject(SNAPSHOT, (rs, row) -> new Snapshot(rs.getLong("head"), rs.getLong("usernames"),
                rs.getLong("token_names"), rs.getString("settings"), rs.getLong("faults"), rs.getLong("acknowledged"),
                rs.getLong("notifications"), rs.getString("replays")));
    }

    /** Waits (bounded) until what an accepted request set going has landed: the snapshot holds still. */
    void settle() {
        Snapshot previous = snapshot();
        for (int i = 0; i < 200; i++) {
            pause(10);
            Snapshot now = snapshot();
            if (now.equals(previous)) {
                break;
            }
            previous = now;
        }
        last = previous;
    }

    private long eventsOf(String requestId) {
        return Objects.requireNonNull(jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry
                 WHERE global_index > (SELECT coalesce(max(global_index), 0) - 1000 FROM domain_event_entry)
                   AND convert_from(meta_data, 'UTF8') LIKE ?""", Long.class, "%" + requestId + "%"));
    }

    /** The command side's settings, by key name. */
    Map<String, String> settings() {
        Map<String, String> values = new LinkedHashMap<>();
        jdbc.query("SELECT setting_key, value FROM setting_value ORDER BY setting_key",
                (RowCallbackHandler) rs -> values.put(rs.getString(1), rs.getString(2)));
        return values;
    }

    /** Sets every App Config key back to its value before the properties ran (or clears it). */
    void restoreSettings() {
        Map<String, String> now = settings();
        if (now.equals(settingsBefore)) {
            return;
        }
        for (SettingKey key : SettingKey.values()) {
            String was = settingsBefore.get(key.name());
            if (Objects.equals(was, now.get(key.name()))) {
                continue;
            }
            String path = "/api/settings/app-config/" + segment(key.label());
            Api.Response response = was == null ? api.delete(path, admin) : api.put(path, admin, Map.of("value", was));
            assertThat(response.status()).as("restoring %s: %s", key, response.raw()).isBetween(200, 299);
        }
        settle();
    }

    /** A new user with the given role and {@link #PASSWORD}; returns its id. */
    String newUser(String prefix, String role) {
        return api.createUser(admin, prefix + "-" + UUID.randomUUID().toString().substring(0, 8), role, PASSWORD);
    }

    /** A new permanent token of the user; returns its id. */
    String newToken(String userId) {
        Api.Response response = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "input-" + UUID.randomUUID()));
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
        return response.json().get("id").asText();
    }

    /** The text as one path segment: every reserved character percent-encoded. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The text as a query parameter value. */
    static String param(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
