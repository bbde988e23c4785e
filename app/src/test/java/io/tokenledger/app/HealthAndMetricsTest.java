package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.ChangeUserRole;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.embedded.EmbeddedSmtpStarter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What operations see: the health components with their details (for admins only), the probes, and the
 * Prometheus metrics of commands, processors, the credential cache, the outbox and the deadlines; never a secret.
 */
@ExtendWith(OutputCaptureExtension.class)
class HealthAndMetricsTest extends IntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> COMPONENTS = List.of("db", "eventProcessors", "smtp", "deadlines", "outbox");

    @Autowired
    CommandGateway commands;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry registry;

    private JsonNode health(String token) {
        return api.get("/actuator/health", token).json();
    }

    private String prometheus(String admin) {
        Api.Response scrape = api.get("/actuator/prometheus", admin);
        assertThat(scrape.status()).isEqualTo(200);
        return scrape.raw();
    }

    /** The value of one sample of the scrape, by its name and labels as Prometheus prints them. */
    private static double sample(String scrape, String series) {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(value.find()).as(series + " in\n" + scrape).isTrue();
        return Double.parseDouble(value.group(1));
    }

    /** Logs in a new user with the role: its temporary token. */
    private String newUserToken(String admin, String role) {
        String username = unique(role.toLowerCase());
        api.createUser(admin, username, role, Api.PASSWORD);
        return api.login(username, Api.PASSWORD);
    }

    /** A new permanent token for a new user: its plaintext. */
    private String permanentToken(String admin, String name) {
        String user = api.createUser(admin, unique("ops"), "USER", Api.PASSWORD);
        Api.Response created = api.post("/api/users/" + user + "/tokens", admin, Map.of("name", name));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("token").asText();
    }

    @Test
    void healthShowsEachComponentWithDetailsToAdminsAndOnlyTheStatusToOthers() {
        String admin = adminToken();
        permanentToken(admin, "deploy"); // one more expiry deadline

        JsonNode full = health(admin);
        assertThat(full.get("status").asText()).isEqualTo("UP");
        for (String component : COMPONENTS) {
            assertThat(full.at("/components/" + component + "/status").asText()).as(component).isEqualTo("UP");
        }
        assertThat(full.at("/components/smtp/details/location").asText()).startsWith("127.0.0.1:");
        assertThat(full.at("/components/deadlines/details/scheduled").asLong()).isPositive();
        assertThat(full.at("/components/deadlines/details/overdue").asLong()).isZero();
        assertThat(full.at("/components/deadlines/details").has("oldestOverdueSeconds")).isTrue();
        JsonNode outbox = full.at("/components/outbox/details");
        for (String detail : List.of("pending", "failed", "overdue", "oldestPendingSeconds", "oldestOverdueSeconds")) {
            assertThat(outbox.get(detail).isNumber()).as(detail).isTrue();
        }

        String user = newUserToken(admin, "USER");
        for (String other : new String[] {null, user}) {
            Api.Response response = api.get("/actuator/health", other);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("status").asText()).isEqualTo("UP");
            assertThat(response.json().has("components")).as("components shown to " + other).isFalse();
        }
    }

    @Test
    void livenessNeedsNothingOutsideTheProcessAndReadinessOnlyTheDatabase() {
        String admin = adminToken();
        JsonNode liveness = api.get("/actuator/health/liveness", admin).json();
        assertThat(liveness.get("status").asText()).isEqualTo("UP");
        assertThat(liveness.get("components").fieldNames()).toIterable().containsExactly("livenessState");
        JsonNode readiness = api.get("/actuator/health/readiness", admin).json();
        assertThat(readiness.get("status").asText()).isEqualTo("UP");
        assertThat(readiness.get("components").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("readinessState", "db");
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }

    @Test
    void eventProcessorsReportTheirPositionAndHowFarTheyTrail() throws Exception {
        String admin = adminToken();
        String adminId = api.get("/api/me", admin).json().get("id").asText();
        String userId = api.createUser(admin, unique("stuck"), "USER", Api.PASSWORD);

        JsonNode processors = health(admin).at("/components/eventProcessors/details/processors");
        // The tracking processor; the read models and the notifier are written with each command and never trail.
        JsonNode chain = processors.get("audit-chain");
        assertThat(chain).isNotNull();
        assertThat(chain.get("running").asBoolean()).isTrue();
        assertThat(chain.get("segments").size()).isEqualTo(1);
        assertThat(chain.has("error")).isFalse();
        for (String subscribing : List.of("users", "notifier")) {
            assertThat(processors.has(subscribing)).as(subscribing + " has no position to report").isFalse();
        }

        // The audit chain blocks on its table, which this test holds locked: it stops at the role change.
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE audit_chain IN EXCLUSIVE MODE");
            }
            commands.sendAndWait(new ChangeUserRole(UserId.of(userId), Role.AUDITOR, UserId.of(adminId)));
            long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);

            JsonNode stuck = await().atMost(WAIT).until(() -> health(admin).at("/components/eventProcessors"),
                    h -> h.at("/details/head").asLong() >= head
                            && h.at("/details/processors/audit-chain/lag").asLong() >= 1);
            assertThat(stuck.get("status").asText()).as("lag alone is no failure").isEqualTo("UP");
            assertThat(stuck.at("/details/processors/audit-chain/position").asLong()).isLessThan(head);
            assertThat(sample(prometheus(admin), "tokenledger_processor_lag_events{processor=\"audit-chain\"}"))
                    .isGreaterThanOrEqualTo(1);
            lock.rollback();
        }
        await().atMost(WAIT).until(
                () -> health(admin).at("/components/eventProcessors/details/processors/audit-chain"),
                u -> u.get("lag").asLong() == 0 && u.get("caughtUp").asBoolean());
        assertThat(sample(prometheus(admin), "tokenledger_processor_error{processor=\"audit-chain\"}")).isZero();
    }

    @Test
    void smtpIsDownWhileTheServerIsAndUpOnceItIsBack() {
        String admin = adminToken();
        GreenMail smtp = EmbeddedSmtpStarter.running();
        boolean stopped = false;
        try {
            smtp.stop();
            stopped = true;
            Api.Response down = api.get("/actuator/health", admin);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(down.json().at("/components/smtp/status").asText()).isEqualTo("DOWN");
            assertThat(down.json().at("/components/smtp/details/location").asText()).startsWith("127.0.0.1:");
            assertThat(down.json().at("/components/db/status").asText()).isEqualTo("UP");
            assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
            assertThat(api.get("/actuator/health", null).json().get("status").asText()).isEqualTo("DOWN");

            smtp.start();
            stopped = false;
            await().atMost(WAIT).until(() -> health(admin).at("/components/smtp/status").asText(), "UP"::equals);
        } finally {
            if (stopped) {
                smtp.start(); // every other test shares this SMTP peer
            }
        }
    }

    /** Tokens created, rotated, revoked, expired and logins, as counters a dashboard can rate. */
    @Test
    void theTokenLifecycleIsCountedOnceEachEventIsStored() {
        String admin = adminToken();
        java.util.function.Function<String, Double> count = event ->
                sample(prometheus(admin), "tokenledger_token_events_total{event=\"" + event + "\"}");
        Map<String, Double> before = new java.util.HashMap<>();
        for (String event : List.of("created", "rotated", "revoked", "expired", "login", "expiry_warning")) {
            before.put(event, count.apply(event));
        }
        String name = unique("counted");
        String user = api.createUser(admin, name, "USER", Api.PASSWORD);
        String session = api.login(name, Api.PASSWORD);
        String token = api.post("/api/users/" + user + "/tokens", admin, Map.of("name", "counted")).json().get("id")
                .asText();
        assertThat(api.post("/api/users/" + user + "/tokens", admin, Map.of("name", "counted")).status())
                .as("refused: no event, nothing counted").isEqualTo(409);
        String successor = api.post("/api/tokens/" + token + "/rotate", admin, null).json().get("id").asText();
        assertThat(api.post("/api/tokens/" + successor + "/revoke", admin, Map.of("reason", "done")).status())
                .isEqualTo(200);
        assertThat(api.post("/api/auth/logout", session, null).status()).isEqualTo(204);

        assertThat(count.apply("login") - before.get("login")).isEqualTo(1);
        assertThat(count.apply("created") - before.get("created")).isEqualTo(2); // the token and its successor
        assertThat(count.apply("rotated") - before.get("rotated")).isEqualTo(1);
        assertThat(count.apply("revoked") - before.get("revoked")).isEqualTo(3); // the rotated, the revoked, the logout
        assertThat(count.apply("expired")).isGreaterThanOrEqualTo(0);
        assertThat(count.apply("expiry_warning")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void prometheusTimesCommandsByTypeAndOutcomeAndShowsTheBacklogs() {
        String admin = adminToken();
        String user = api.createUser(admin, unique("metrics"), "USER", Api.PASSWORD);
        assertThat(api.post("/api/users/" + user + "/tokens", admin, Map.of("name", "twice")).status()).isEqualTo(201);
        assertThat(api.post("/api/users/" + user + "/tokens", admin, Map.of("name", "twice")).status()).isEqualTo(409);

        String scrape = prometheus(admin);
        String created = "command=\"CreatePermanentToken\",outcome=\"success\"";
        assertThat(sample(scrape, "tokenledger_commands_seconds_count{" + created + "}")).isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "tokenledger_commands_seconds_sum{" + created + "}")).isPositive();
        assertThat(sample(scrape, "tokenledger_commands_seconds_bucket{" + created + ",le=\"+Inf\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "tokenledger_commands_seconds_count{command=\"CreatePermanentToken\","
                + "outcome=\"failure\"}")).isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "tokenledger_commands_seconds_count{command=\"RegisterUser\",outcome=\"success\"}"))
                .isGreaterThanOrEqualTo(1);
        // fixed buckets: the series of one timer do not grow with traffic
        assertThat(scrape.lines().filter(l -> l.startsWith("tokenledger_commands_seconds_bucket{" + created)))
                .hasSize(12);

        assertThat(sample(scrape, "tokenledger_processor_lag_events{processor=\"audit-chain\"}"))
                .isGreaterThanOrEqualTo(0);
        assertThat(sample(scrape, "tokenledger_outbox_depth{status=\"PENDING\"}")).isGreaterThanOrEqualTo(0);
        assertThat(sample(scrape, "tokenledger_outbox_depth{status=\"FAILED\"}")).isGreaterThanOrEqualTo(0);
        assertThat(sample(scrape, "tokenledger_outbox_overdue")).isGreaterThanOrEqualTo(0);
        assertThat(sample(scrape, "tokenledger_outbox_oldest_pending_seconds")).isGreaterThanOrEqualTo(0);
        assertThat(sample(scrape, "tokenledger_deadlines_scheduled")).isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "tokenledger_deadlines_overdue")).isZero();
        assertThat(sample(scrape, "tokenledger_deadlines_overdue_oldest_seconds")).isZero();
        assertThat(sample(scrape, "cache_gets_total{cache=\"credentials\",result=\"miss\"}")).isPositive();

        assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(api.get("/actuator/prometheus", newUserToken(admin, "USER")).status()).isEqualTo(403);
    }

    @Test
    void theCredentialCacheCountsAHitWhenATokenAuthenticatesAgain() {
        String admin = adminToken();
        String token = permanentToken(admin, "cached");
        String hits = "cache_gets_total{cache=\"credentials\",result=\"hit\"}";
        double before = sample(prometheus(admin), hits);

        assertThat(api.get("/api/tokens/self", token).status()).isEqualTo(200);
        assertThat(api.get("/api/tokens/self", token).status()).isEqualTo(200);

        // the admin's own scrapes authenticate from the cache too: at least the second use is a further hit
        assertThat(sample(prometheus(admin), hits)).isGreaterThanOrEqualTo(before + 2);
        assertThat(sample(prometheus(admin), "cache_size{cache=\"credentials\"}")).isPositive();
    }

    @Test
    void noSecretShowsInHealthOrMetrics() {
        String admin = adminToken();
        List<String> secrets = new ArrayList<>(List.of(admin, permanentToken(admin, "secret")));
        String user = newUserToken(admin, "USER");
        secrets.add(user);
        for (String secret : secrets) {
            api.get("/api/me", secret);
        }
        String seen = prometheus(admin) + health(admin) + api.get("/actuator/metrics", admin).raw()
                + api.get("/actuator/metrics/cache.gets", admin).raw() + api.get("/actuator/health/readiness", admin).raw();
        for (String secret : secrets) {
            assertThat(seen).doesNotContain(secret).doesNotContain(secret.substring(4, 36))
                    .doesNotContain(TokenSecret.parse(secret).orElseThrow().hash().hex());
        }
        assertThat(seen).doesNotContain(ADMIN_PASSWORD).doesNotContain(Api.PASSWORD);
    }

    @Test
    void axonsOwnMetricsModuleIsOffSoNoGaugeIsRegisteredTwice(CapturedOutput output) {
        String admin = adminToken();
        permanentToken(admin, "quiet");
        assertThat(registry.getMeters()).map(m -> m.getId().getName())
                .noneMatch(name -> name.startsWith("commandBus") || name.startsWith("eventProcessor"));
        assertThat(output.getAll()).doesNotContain("has been already registered");
    }
}
