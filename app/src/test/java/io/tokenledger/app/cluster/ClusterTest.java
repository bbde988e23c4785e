package io.tokenledger.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.zaxxer.hikari.HikariDataSource;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.Listening;
import io.tokenledger.app.embedded.EmbeddedSmtpStarter;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Three instances of the application (separate Spring contexts, own ports) on one PostgreSQL and one SMTP
 * server, as a scale-out deployment runs them. Commands go through all three; every event is handled exactly
 * once by a processor whose segments the instances share; expiry warnings and their e-mails happen once; a
 * token revoked through one instance is refused by the others within a second; and all of it holds when one
 * instance dies mid-run without releasing its claims.
 */
class ClusterTest {
    private static final String ADMIN_PASSWORD = "admin-test-password";
    private static final Path DATA = Path.of("target", "cluster-data");
    /** Segments of the probe processor, at most two per instance: the instances must share them. */
    private static final int PROBE_SEGMENTS = 4;

    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private static final List<Api> apis = new ArrayList<>();
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startThreeInstances() throws IOException {
        if (Files.exists(DATA)) {
            try (Stream<Path> files = Files.walk(DATA)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (int i = 0; i < 3; i++) {
            ConfigurableApplicationContext context = Instances.start(new Class<?>[] {Probe.class},
                    "--tokenledger.data-dir=" + DATA, "--tokenledger.instance=node-" + i);
            instances.add(context);
            apis.add(Instances.api(context));
        }
        // Read through an instance that lives to the end.
        jdbc = new JdbcTemplate(instances.get(2).getBean(DataSource.class));
    }

    @AfterAll
    static void stopInstances() {
        instances.forEach(context -> {
            if (context.isActive()) {
                context.close();
            }
        });
    }

    @Test
    void threeInstancesShareTheWorkAndSurviveOneDying() throws Exception {
        String admin = apis.get(0).login("admin", ADMIN_PASSWORD);
        // Warnings for tokens expiring within 7 days, mailed to one address as well as the owner.
        assertThat(apis.get(1).put(path("Enable User Token Expiration Notifications"), admin, Map.of("value", "7"))
                .status()).isEqualTo(200);
        assertThat(apis.get(2).put(path("User Token Expiration Notification Emails"), admin,
                Map.of("value", "cluster-ops@example.com")).status()).isEqualTo(200);

        // Commands through every instance: users, and tokens, some expiring within the warning window.
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(apis.get(i % 3).createUser(admin, "cluster-" + UUID.randomUUID().toString().substring(0, 8),
                    "USER", "a-long-password"));
        }
        List<String> tokens = new ArrayList<>();
        List<String> expiring = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 40; i++) {
            tokens.add(createToken(apis.get(i % 3), admin, users.get(i % users.size()), "cluster-token-" + i + "-x",
                    i % 8 == 0, expiring));
        }

        // A revoke through one instance is refused by both others within a second: measured.
        List<Long> millis = revokeAndMeasure(tokens.subList(0, 30), apis, admin);
        System.out.printf("Revoke propagation, 3 instances, %d revokes: p50 %d ms, p99 %d ms, max %d ms%n",
                millis.size(), percentile(millis, 50), percentile(millis, 99), millis.get(millis.size() - 1));
        assertThat(percentile(millis, 99)).isLessThan(1000);

        // One instance dies mid-run: its connections go, its claims are never released.
        AtomicBoolean driving = new AtomicBoolean(true);
        List<Throwable> failures = new ArrayList<>();
        Thread driver = new Thread(() -> {
            int n = 0;
            while (driving.get()) {
                Api api = apis.get(1 + n % 2);
                // A client retries: until the dead instance's claims lapse, what it held is not projected, so a
                // read after a write may not show it yet. Every write must get through in the end.
                String user = "during-" + UUID.randomUUID().toString().substring(0, 8);
                String userId = retried(() -> api.createUser(admin, user, "USER", "a-long-password"), failures);
                boolean soon = n % 3 == 0;
                if (userId != null) {
                    // A fresh name each attempt: an attempt that failed late may have created its token.
                    retried(() -> createToken(api, admin, userId, "during-" + UUID.randomUUID().toString()
                            .substring(0, 8) + "-x", soon, expiring), failures);
                }
                n++;
            }
        });
        driver.start();
        Thread.sleep(1500);
        kill(instances.get(0));
        Thread.sleep(3000);
        driving.set(false);
        driver.join();
        assertThat(failures).isEmpty();

        // The two left still refuse a token revoked through the other within a second.
        List<Long> after = revokeAndMeasure(tokens.subList(30, 40), apis.subList(1, 3), admin);
        System.out.printf("Revoke propagation, 2 instances left, %d revokes: p50 %d ms, max %d ms%n", after.size(),
                percentile(after, 50), after.get(after.size() - 1));
        assertThat(after.get(after.size() - 1)).isLessThan(1000);

        // Whatever was stored is handled exactly once, by the surviving instances once the dead one's claims lapse.
        // (Events keep coming after the load: the refused tokens' security events are stored every interval.)
        long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        long events = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE global_index <= ?", Long.class,
                head);
        String seenUpToHead = "SELECT count(DISTINCT p.event_id) FROM cluster_probe p JOIN domain_event_entry e"
                + " ON e.event_identifier = p.event_id WHERE e.global_index <= ?";
        try {
            awaitUntil(Duration.ofSeconds(60), () -> jdbc.queryForObject(seenUpToHead, Long.class, head) >= events);
        } catch (AssertionError e) {
            throw new AssertionError("probe saw " + jdbc.queryForObject(seenUpToHead, Long.class, head) + " of "
                    + events + " events; its segments: " + jdbc.queryForList(
                    "SELECT segment, owner, timestamp FROM token_entry WHERE processor_name = 'cluster-probe'"), e);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cluster_probe", Long.class)).as("each event handled once")
                .isEqualTo(jdbc.queryForObject("SELECT count(DISTINCT event_id) FROM cluster_probe", Long.class));
        assertThat(jdbc.queryForList("SELECT DISTINCT instance FROM cluster_probe", String.class))
                .as("the instances shared the probe's segments").hasSizeGreaterThan(1);
        awaitUntil(Duration.ofSeconds(30), () -> jdbc.queryForObject(
                "SELECT count(*) FROM audit_event WHERE global_index <= ?", Long.class, head).equals(jdbc.queryForObject(
                "SELECT count(*) FROM domain_event_entry WHERE global_index <= ?", Long.class, head)));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_view WHERE kind = 'PERMANENT'", Long.class))
                .isEqualTo(jdbc.queryForObject(
                        "SELECT count(*) FROM domain_event_entry WHERE type = 'Token' AND payload_type LIKE '%PermanentTokenCreated'",
                        Long.class));

        // Each warning once, each e-mail once (the owner and the configured address); the one e-mail the killed
        // instance may have had in flight between the server's acceptance and its commit is sent again, with its
        // Message-ID (OutboxSender: at least once, a duplicate only across a crash).
        GreenMail mail = EmbeddedSmtpStarter.running();
        for (String id : expiring) {
            assertThat(jdbc.queryForObject("""
                    SELECT count(*) FROM domain_event_entry
                    WHERE aggregate_identifier = ? AND payload_type LIKE '%TokenExpiryApproaching'""", Long.class, id))
                    .isEqualTo(1);
        }
        awaitUntil(Duration.ofSeconds(30), () -> jdbc.queryForObject(
                "SELECT count(*) FROM notification WHERE status = 'SENT' AND token_id::text = ANY (?)", Long.class,
                (Object) expiring.toArray(String[]::new)) == expiring.size() * 2L);
        long resent = 0;
        for (String id : expiring) {
            String name = jdbc.queryForObject("SELECT name FROM token_view WHERE id = ?::uuid", String.class, id);
            List<String> received = Arrays.stream(mail.getReceivedMessages()).filter(m -> body(m).contains(name))
                    .map(ClusterTest::messageId).toList();
            assertThat(received.stream().distinct().count()).as("e-mails about " + name).isEqualTo(2);
            resent += received.size() - 2;
        }
        assertThat(resent).as("e-mails received twice: at most the one in flight when an instance died")
                .isLessThanOrEqualTo(1);
    }

    /** Runs the step until it succeeds, for at most 30 s; records the last failure if it never does. */
    private static String retried(java.util.function.Supplier<String> step, List<Throwable> failures) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return step.get();
            } catch (RuntimeException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    failures.add(e);
                    return null;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private static String createToken(Api api, String admin, String userId, String name, boolean expiringSoon,
                                      List<String> expiring) {
        Map<String, Object> body = expiringSoon
                ? Map.of("name", name, "expiresAt", Instant.now().plus(Duration.ofDays(3)).toString())
                : Map.of("name", name);
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, body);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        if (expiringSoon) {
            expiring.add(created.json().get("id").asText());
        }
        return created.json().get("token").asText();
    }

    /**
     * Revokes each token through one instance, in turn, after it has authenticated on all of them (so every
     * cache holds it), and measures how long until every other instance refuses it; sorted.
     */
    private static List<Long> revokeAndMeasure(List<String> tokens, List<Api> alive, String admin)
            throws InterruptedException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String id = null;
            for (Api api : alive) {
                Api.Response self = api.get("/api/tokens/self", token);
                assertThat(self.status()).isEqualTo(200);
                id = self.json().get("id").asText();
            }
            Api revoker = alive.get(i % alive.size());
            assertThat(revoker.post("/api/tokens/" + id + "/revoke", admin, null).status()).isEqualTo(200);
            long revoked = System.nanoTime();
            for (Api other : alive) {
                if (other != revoker) {
                    awaitRefused(other, token);
                }
            }
            millis.add((System.nanoTime() - revoked) / 1_000_000);
        }
        millis.sort(Long::compare);
        return millis;
    }

    private static long percentile(List<Long> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }

    private static String path(String key) {
        return "/api/settings/app-config/" + key.replace(" ", "%20");
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(MimeMessage message) {
        try {
            return message.getSubject() + "\n" + com.icegreen.greenmail.util.GreenMailUtil.getBody(message);
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * The attack: a stream held by one instance outlived a logout or a role change handled by another. Instances 1
     * and 2 live to the end whatever order the tests run in.
     */
    @Test
    void aStreamClosesWhicheverInstanceEndsItsTokenOrChangesItsUsersRole() throws Exception {
        Api one = apis.get(1);
        int two = Instances.port(instances.get(2));
        String admin = one.login("admin", ADMIN_PASSWORD);
        String name = "streamer-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = one.createUser(admin, name, "AUDITOR", "a-long-password");
        String session = one.login(name, "a-long-password");
        String otherSession = one.login(name, "a-long-password");
        Listening stream = Listening.subscribed(two, session);
        Listening otherStream = Listening.subscribed(two, otherSession);

        assertThat(one.post("/api/auth/logout", session, null).status()).isEqualTo(204);
        stream.awaitClosed("a stream on instance 2 of a session logged out through instance 1");
        assertThat(otherStream.hasEnded()).as("the stream of the user's other session").isFalse();

        assertThat(one.put("/api/users/" + userId + "/role", admin, Map.of("role", "USER")).status())
                .isEqualTo(200);
        otherStream.awaitClosed("a stream on instance 2 of a user re-roled through instance 1");
    }

    private static void awaitRefused(Api api, String token) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (api.get("/api/tokens/self", token).status() != 401) {
            assertThat(System.nanoTime()).as("refused within 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void awaitUntil(Duration limit, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + limit).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** As close to a crash as one JVM allows: the database connections go first, so no claim is released. */
    private static void kill(ConfigurableApplicationContext instance) {
        instance.getBean(HikariDataSource.class).close();
        instance.close();
    }

    /**
     * A processor that records which instance handled each event, with nothing to hide a second handling: its
     * segments are spread over the instances (at most two each), so it shows how they share the work.
     */
    static class Probe {
        @Bean
        @DependsOn("flywayInitializer")
        ProbeHandler clusterProbe(JdbcTemplate jdbc, org.springframework.core.env.Environment env) {
            jdbc.execute("CREATE TABLE IF NOT EXISTS cluster_probe (event_id TEXT NOT NULL, instance TEXT NOT NULL)");
            return new ProbeHandler(jdbc, env.getProperty("tokenledger.instance"));
        }

        @Bean
        ConfigurerModule probeProcessor() {
            return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                    ProbeHandler.GROUP, (c, builder) -> builder.initialSegmentCount(PROBE_SEGMENTS)
                            .maxClaimedSegments(2));
        }
    }

    @ProcessingGroup(ProbeHandler.GROUP)
    static class ProbeHandler {
        static final String GROUP = "cluster-probe";
        private final JdbcTemplate jdbc;
        private final String instance;

        ProbeHandler(JdbcTemplate jdbc, String instance) {
            this.jdbc = jdbc;
            this.instance = instance;
        }

        @EventHandler
        void on(Object event, EventMessage<?> message) {
            jdbc.update("INSERT INTO cluster_probe (event_id, instance) VALUES (?, ?)", message.getIdentifier(),
                    instance);
        }
    }
}
