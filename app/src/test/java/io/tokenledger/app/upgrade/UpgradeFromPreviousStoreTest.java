package io.tokenledger.app.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import io.tokenledger.app.upgrade.PreviousStore.Manifest;
import io.tokenledger.app.upgrade.PreviousStore.ProcessorSegment;
import io.tokenledger.app.upgrade.PreviousStore.Token;
import io.tokenledger.app.upgrade.PreviousStore.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The current version, started on a store that the previous version wrote, finds every user, token and deadline
 * intact, and the expiry sagas' pending warnings turned into the tokens' own. The store is {@link PreviousStore}'s fixture of commit 508ace4 (Spring Boot 3.5, Axon 4.12, db-scheduler 14,
 * Flyway 11), written by that version's own jar ({@link StoreFixture}); what this version changed in how it reads and
 * writes stored bytes (Axon's serializers, db-scheduler's task data, Flyway's history, the read models' schema) shows
 * here and nowhere else, since every other test starts on a store this version wrote itself.
 *
 * <p>One start of the application serves every check; the checks run in order, reading first, changing last. The
 * fixture ages: tokens that were active when it was written may have expired since, and deadlines may have fallen
 * due. Expectations follow from the fixture and the time of the check, so that the test holds whenever it runs, up to
 * 2035-01-19, when the warning that the last check cancels falls due (a fixture of a later release replaces this one
 * long before). The fixture's plaintexts are sent as credentials only and never appear in an assertion's
 * description.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeFromPreviousStoreTest {
    private static final String PREVIOUS = "508ace4";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Tokens expiring this close to a check may read either way. */
    private static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);
    private static final String WARNING_TASK = "token-expiry-warning";
    private static final String SAGA_PROCESSOR = "TokenExpirySagaProcessor";

    private final PreviousStore store = PreviousStore.of(PREVIOUS);
    private final Manifest fixture = store.manifest();
    private Path dataDir;
    private ConfigurableApplicationContext app;
    private Api api;
    private JdbcTemplate jdbc;
    private String admin;

    /**
     * Records, for every processor, the global index of each event it handles, to show that none takes up events it
     * had handled under the previous version.
     */
    /** The groups that were tracking processors in the previous version and are subscribing ones now. */
    private static final Set<String> WRITTEN_WITH_COMMANDS = Set.of("users", "credentials", "token-inventory",
            "app-config", "audit-log", "active-tokens", "notifier");

    static class HandledEvents {
        private final Map<String, Set<Long>> positions = new ConcurrentHashMap<>();

        @Bean
        ConfigurerModule recordHandledEvents() {
            return configurer -> configurer.eventProcessing().registerDefaultHandlerInterceptor(
                    (configuration, processor) -> (unitOfWork, chain) -> {
                        if (unitOfWork.getMessage() instanceof TrackedEventMessage<?> tracked) {
                            tracked.trackingToken().position().ifPresent(position -> positions
                                    .computeIfAbsent(processor, p -> ConcurrentHashMap.newKeySet()).add(position));
                        }
                        return chain.proceed();
                    });
        }

        Set<Long> of(String processor) {
            return positions.getOrDefault(processor, Set.of());
        }
    }

    @BeforeAll
    void startTheCurrentVersionOnTheStoreOfThePreviousOne() throws IOException {
        dataDir = Files.createTempDirectory(Path.of("target"), "upgrade-" + PREVIOUS + "-");
        store.loadInto(dataDir);
        app = Instances.start(new Class<?>[] {HandledEvents.class}, "--tokenledger.data-dir=" + dataDir);
        api = Instances.api(app);
        jdbc = app.getBean(JdbcTemplate.class);
        admin = api.login(fixture.adminUsername(), fixture.adminPassword());
    }

    @AfterAll
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (dataDir != null) {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }

    @Test
    @Order(1)
    void theSchemaIsMigratedOnFromTheVersionTheDataWasWrittenUnder() {
        Map<String, String> before = new TreeMap<>();
        store.rows(PreviousStore.HISTORY_TABLE).forEach(r -> before.put(r.get("installed_rank"),
                r.get("version") + " " + r.get("checksum") + " " + r.get("success")));
        Map<String, String> after = new TreeMap<>();
        jdbc.queryForList("SELECT installed_rank, version, checksum, success FROM flyway_schema_history")
                .forEach(r -> after.put(r.get("installed_rank").toString(),
                        r.get("version") + " " + r.get("checksum") + " " + (Boolean.TRUE.equals(r.get("success"))
                                ? "t" : "f")));
        assertThat(after).as("the previous version's migrations, as it recorded them").containsAllEntriesOf(before);
        Flyway flyway = app.getBean(Flyway.class);
        assertThat(flyway.info().pending()).as("migrations left to apply").isEmpty();
        assertThat(flyway.info().current().getVersion().isAtLeast(fixture.flywayVersion())).isTrue();
    }

    /**
     * The current version's Axon serializers read every event payload and processor position the previous
     * version stored and write each back byte for byte (event metadata, a map, as the same JSON): the store does not
     * turn into a mixture of two forms as the current version adds to it, and what it writes stays readable by
     * anything that read the previous form.
     */
    @Test
    @Order(2)
    void whatThePreviousVersionStoredIsWrittenBackByteForByte() {
        Serializer events = app.getBean("eventSerializer", Serializer.class);
        Serializer general = app.getBean(Serializer.class);
        for (Map<String, String> event : store.rows("domain_event_entry")) {
            String what = "event " + event.get("global_index") + " (" + event.get("payload_type") + ")";
            assertWrittenBack(events, event.get("payload_type"), event.get("payload_revision"), event.get("payload"),
                    what);
            Object metaData = events.deserialize(serialized(event.get("meta_data"), MetaData.class.getName(), null));
            assertThat(json(events.serialize(metaData, byte[].class).getData())).as("metadata of %s", what)
                    .isEqualTo(json(bytes(event.get("meta_data"))));
        }
        // The expiry sagas are not read by Axon any more: migration V13 turns them into warning plans.
        for (Map<String, String> token : store.rows("token_entry")) {
            assertWrittenBack(general, token.get("token_type"), null, token.get("token"),
                    "position of " + token.get("processor_name") + " segment " + token.get("segment"));
        }
    }

    @Test
    @Order(3)
    void everyUserIsListedWithItsRoleAndEnabledFlagAndLogsInWithItsPassword() {
        Map<String, JsonNode> listed = byId(items("/api/users?size=200"));
        assertThat(listed).hasSize(fixture.users().size());
        for (User user : fixture.users()) {
            JsonNode view = listed.get(user.id());
            assertThat(view).as("user %s", user.username()).isNotNull();
            assertThat(view.get("username").asText()).isEqualTo(user.username());
            assertThat(view.get("email").asText()).isEqualTo(user.email());
            assertThat(view.get("role").asText()).as("role of %s", user.username()).isEqualTo(user.role());
            assertThat(view.get("enabled").asBoolean()).as("%s enabled", user.username()).isEqualTo(user.enabled());
            Api.Response login = api.post("/api/auth/login", null,
                    Map.of("username", user.username(), "password", user.password()));
            assertThat(login.status()).as("login of %s", user.username()).isEqualTo(user.enabled() ? 200 : 401);
        }
        assertThat(fixture.users()).extracting(User::role).contains("ADMIN", "AUDITOR", "USER");
        assertThat(fixture.users()).extracting(User::enabled).contains(false);
    }

    @Test
    @Order(3)
    void theActiveAdministratorsOfThePreviousVersionAreCountedByTheLastAdminRule() {
        // Migration V15 reads them from the events: the rule that keeps one active administrator starts from them.
        assertThat(jdbc.queryForList("SELECT user_id::text FROM active_admin", String.class))
                .containsExactlyInAnyOrderElementsOf(fixture.users().stream()
                        .filter(u -> u.role().equals("ADMIN") && u.enabled()).map(User::id).toList())
                .isNotEmpty();
    }

    @Test
    @Order(4)
    void everyTokenIsListedWithItsStatusNameOwnerAndExpiry() {
        Map<String, JsonNode> listed = byId(items("/api/tokens?size=200"));
        Instant now = Instant.now();
        for (Token token : fixture.tokens()) {
            JsonNode view = listed.get(token.id());
            assertThat(view).as("%s listed", token).isNotNull();
            assertThat(view.get("kind").asText()).as("kind of %s", token).isEqualTo(token.kind());
            assertThat(view.get("name").asText()).as("name of %s", token).isEqualTo(token.name());
            assertThat(view.get("userId").asText()).as("owner of %s", token).isEqualTo(token.userId());
            assertThat(Instant.parse(view.get("createdAt").asText())).isEqualTo(token.createdAt());
            assertThat(Instant.parse(view.get("expiresAt").asText())).as("expiry of %s", token)
                    .isEqualTo(token.expiresAt());
            assertThat(text(view, "revokeReason")).as("revoke reason of %s", token).isEqualTo(token.revokeReason());
            assertThat(text(view, "replacedBy")).as("successor of %s", token).isEqualTo(token.replacedBy());
            if (!expiresAround(token, now)) {
                assertThat(view.get("status").asText()).as("status of %s", token).isEqualTo(token.statusAt(now));
            }
        }
        assertThat(fixture.tokens()).extracting(Token::status).contains("ACTIVE", "REVOKED");
        assertThat(fixture.tokens()).extracting(Token::kind).contains("PERMANENT", "TEMPORARY");

        // each last use, which the previous version kept in the inventory, moved to token_usage (nothing has used
        // a token of the fixture yet)
        int used = 0;
        for (Map<String, String> row : store.rows("token_view")) {
            JsonNode view = listed.get(row.get("id"));
            String at = row.get("last_used_at");
            assertThat(text(view, "lastUsedAt") == null ? null : Instant.parse(text(view, "lastUsedAt")))
                    .as("last use of token %s", row.get("id"))
                    .isEqualTo(at == null ? null : jdbc.queryForObject("SELECT ?::timestamptz", Timestamp.class, at)
                            .toInstant());
            assertThat(text(view, "lastUsedIp")).isEqualTo(row.get("last_used_ip"));
            used += at == null ? 0 : 1;
        }
        assertThat(used).as("tokens of the fixture with a last use").isPositive();
    }

    @Test
    @Order(5)
    void activeTokensStillAuthenticateAndRetiredOnesAreRefused() {
        int authenticated = 0;
        for (Token token : fixture.tokens()) {
            Instant now = Instant.now();
            if (expiresAround(token, now)) {
                continue;
            }
            Api.Response self = api.get("/api/tokens/self", token.plaintext());
            if (token.statusAt(now).equals("ACTIVE")) {
                assertThat(self.status()).as("%s authenticates", token).isEqualTo(200);
                assertThat(self.json().get("id").asText()).isEqualTo(token.id());
                authenticated++;
            } else {
                assertThat(self.status()).as("%s is refused", token).isEqualTo(401);
            }
        }
        assertThat(authenticated).as("tokens of the previous version that authenticated").isPositive();
    }

    @Test
    @Order(6)
    void everyTokensHistoryReplaysFromTheEventStore() {
        for (Token token : fixture.tokens()) {
            List<JsonNode> history = history(token.id());
            assertThat(history.stream().map(e -> e.get("type").asText()).toList()).as("history of %s", token)
                    .startsWith(token.events().toArray(String[]::new));
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).get("sequence").asLong()).as("sequence in %s", token).isEqualTo(i);
            }
            Api.Response state = api.get("/api/audit/tokens/" + token.id() + "/state?at=" + fixture.stoppedAt(),
                    admin);
            assertThat(state.status()).as("state of %s", token).isEqualTo(200);
            assertThat(state.json().get("status").asText()).as("state of %s", token)
                    .isEqualTo(token.statusAt(fixture.stoppedAt()));
            assertThat(state.json().get("sequence").asLong()).isEqualTo(token.events().size() - 1);
        }
        for (User user : fixture.users()) {
            assertThat(api.get("/api/audit/users/" + user.id() + "/events", admin).status())
                    .as("history of %s", user.username()).isEqualTo(200);
        }
        // The audit log the previous version's projection wrote, by event type.
        for (Map.Entry<String, Long> type : fixture.eventsByType().entrySet()) {
            JsonNode page = api.get("/api/audit/events?size=1&type=" + type.getKey() + "&to=" + fixture.stoppedAt(),
                    admin).json();
            assertThat(page.get("total").asLong()).as("%s events in the audit log", type.getKey())
                    .isEqualTo(type.getValue());
        }
    }

    @Test
    @Order(7)
    void theAuditHashChainOfThePreviousVersionStillVerifies() {
        JsonNode verify = api.get("/api/audit/verify", admin).json();
        assertThat(verify.get("verified").asBoolean()).as("%s", verify).isTrue();
        assertThat(verify.get("checkedEvents").asLong()).isGreaterThanOrEqualTo(fixture.table("audit_chain").rows());
    }

    @Test
    @Order(8)
    void deadlinesOfThePreviousVersionFireWhenDueAndStayScheduledOtherwise() {
        List<String> due = new ArrayList<>();
        Map<String, String> warnings = sagaWarnings();
        for (Map<String, String> task : store.rows("scheduled_tasks")) {
            String instance = task.get("task_instance");
            String at = task.get("execution_time");
            // a saga's warning deadline is now its token's warning task, due at the same time
            String name = warnings.containsKey(instance) ? WARNING_TASK : task.get("task_name");
            String id = warnings.getOrDefault(instance, instance);
            if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT ?::timestamptz > now() + ?::interval", Boolean.class,
                    at, EXPIRY_MARGIN.toSeconds() + " seconds"))) {
                assertThat(jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_name = ? "
                                + "AND task_instance = ? AND execution_time = ?::timestamptz", Long.class,
                        name, id, at)).as("deadline %s due at %s", instance, at).isOne();
            } else if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT ?::timestamptz < now()", Boolean.class, at))) {
                due.add(instance);
            }
        }
        // at least the two deadlines that fell due while the previous version was stopped
        assertThat(due).hasSizeGreaterThanOrEqualTo(2);
        // (a warning that fired leaves its token's task at the token's expiry, no longer due)
        await(() -> jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ANY (?) "
                + "AND execution_time <= now()", Long.class, (Object) due.toArray(String[]::new)) == 0,
                "due deadlines fired: " + due);
        assertThat(jdbc.queryForList("SELECT task_instance FROM scheduled_tasks WHERE last_failure IS NOT NULL "
                + "OR consecutive_failures > 0", String.class)).as("deadlines that failed").isEmpty();

        // A token's expiry, stored by the previous version in the token's aggregate scope.
        Token expired = fixture.token("expires-while-down");
        await(() -> types(expired.id()).contains("TokenExpired"), "expiry of " + expired);
        assertThat(api.get("/api/tokens/" + expired.id(), admin).json().get("status").asText()).isEqualTo("EXPIRED");
        await(() -> plans(expired.id()) == 0, "the warning plan of " + expired + " ended");

        // A warning the previous version stored in its saga's scope, fired as the token's own.
        Token warned = fixture.token("warns-while-down");
        if (Instant.now().plus(EXPIRY_MARGIN).isBefore(warned.expiresAt())) {
            await(() -> count("SELECT count(*) FROM fault WHERE token_id = ?::uuid AND days_before = 1",
                    warned.id()) == 1, "1-day warning fault of " + warned);
            await(() -> count("SELECT count(*) FROM notification WHERE token_id = ?::uuid AND days_before = 1",
                    warned.id()) == 3, "1-day warning e-mails of " + warned);
            await(() -> count("SELECT count(*) FROM expiry_warning WHERE token_id = ?::uuid "
                    + "AND pending_days IS NULL AND closest_warned_days = 1", warned.id()) == 1,
                    "no warning left for " + warned);
            assertThat(count("SELECT count(*) FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? "
                    + "AND execution_time = ?::timestamptz", WARNING_TASK, warned.id(), warned.expiresAt().toString()))
                    .as("the token's task is its expiry").isOne();
        }
    }

    @Test
    @Order(9)
    void processorsResumeFromTheirStoredPositionsAndSendNothingTwice() {
        HandledEvents handled = app.getBean(HandledEvents.class);
        // this run's own events (its logins) are handled: the recording works
        await(() -> handled.of("audit-chain").stream().anyMatch(p -> p > fixture.headGlobalIndex()),
                "events stored since the start handled");
        Map<String, Long> stored = new TreeMap<>();
        for (ProcessorSegment segment : fixture.processors()) {
            if (WRITTEN_WITH_COMMANDS.contains(segment.processor()) || segment.processor().equals(SAGA_PROCESSOR)) {
                // now written in each command's transaction (or, the saga, gone): its position forgotten
                assertThat(count("SELECT count(*) FROM token_entry WHERE processor_name = ?", segment.processor()))
                        .as("%s", segment).isZero();
                continue;
            }
            assertThat(count("SELECT count(*) FROM token_entry WHERE processor_name = ? AND segment = "
                    + segment.segment(), segment.processor())).as("%s", segment).isOne();
            if (segment.position() != null) {
                stored.merge(segment.processor(), segment.position(), Math::min);
            }
        }
        assertThat(stored).containsKeys("audit-chain");
        stored.forEach((processor, position) -> assertThat(handled.of(processor))
                .as("events up to %d that %s had handled before, handled again", position, processor)
                .allMatch(p -> p > position));

        // the previous version's faults and e-mails as they were, and none raised or queued again
        List<Map<String, String>> mails = store.rows("notification");
        for (Map<String, String> mail : mails) {
            Map<String, Object> now = jdbc.queryForMap("SELECT status, attempts, sent_at IS NOT DISTINCT FROM "
                    + "?::timestamptz AS same_sent_at FROM notification WHERE id = ?::uuid", mail.get("sent_at"),
                    mail.get("id"));
            assertThat(now.get("status")).as("e-mail %s", mail.get("id")).isEqualTo(mail.get("status"));
            assertThat(now.get("attempts").toString()).isEqualTo(mail.get("attempts"));
            assertThat(now.get("same_sent_at")).as("e-mail %s sent once", mail.get("id")).isEqualTo(true);
        }
        Set<String> warnings = mails.stream().map(m -> m.get("token_id") + "/" + m.get("days_before"))
                .collect(Collectors.toSet());
        assertThat(count("SELECT count(*) FROM notification WHERE token_id::text || '/' || days_before = ANY (?)",
                (Object) warnings.toArray(String[]::new))).as("e-mails of the previous version's warnings")
                .isEqualTo(mails.size());
        for (Map<String, String> fault : store.rows("fault")) {
            // an expired token's faults are cleared (since V18), the others are as they were
            boolean expired = "EXPIRED".equals(jdbc.queryForObject("SELECT status FROM token_view WHERE id = ?::uuid",
                    String.class, fault.get("token_id")));
            assertThat(jdbc.queryForObject("SELECT status FROM fault WHERE id = ?::uuid", String.class,
                    fault.get("id"))).as("fault %s", fault.get("id"))
                    .isEqualTo(expired ? "CLEARED" : fault.get("status"));
        }
        assertThat(mails).extracting(m -> m.get("status")).containsOnly("SENT");

        JsonNode health = api.get("/actuator/health", admin).json();
        assertThat(health.at("/components/eventProcessors/status").asText()).as("%s", health.at(
                "/components/eventProcessors")).isEqualTo("UP");
    }

    @Test
    @Order(10)
    void anOldTokenIsRevokedThroughTheAggregateThePreviousVersionStoredAndItsConvertedWarningCancelled() {
        Token token = fixture.token("revoke-target");
        String warning = sagaWarnings().entrySet().stream().filter(w -> w.getValue().equals(token.id()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        Map<String, String> stored = store.rows("scheduled_tasks").stream()
                .filter(t -> t.get("task_instance").equals(warning)).findFirst().orElseThrow();
        // the pending warning survived the upgrade: the token's own task, at the time the saga had planned it
        assertThat(count("SELECT count(*) FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? "
                + "AND execution_time = ?::timestamptz", WARNING_TASK, token.id(), stored.get("execution_time")))
                .isOne();
        assertThat(count("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?", warning))
                .as("the saga's deadline is gone").isZero();
        assertThat(count("SELECT count(*) FROM saga_entry")).isZero();
        int before = history(token.id()).size();

        Api.Response revoked = api.post("/api/tokens/" + token.id() + "/revoke", admin,
                Map.of("reason", "upgrade check"));
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("REVOKED");
        List<JsonNode> after = history(token.id());
        assertThat(after).hasSize(before + 1);
        assertThat(after.get(before).get("type").asText()).isEqualTo("TokenRevoked");
        assertThat(after.get(before).get("sequence").asLong()).isEqualTo(before);
        // stored in the form the previous version stored its own revocations in
        Map<String, String> previousRevocation = store.rows("domain_event_entry").stream()
                .filter(e -> e.get("payload_type").endsWith(".TokenRevoked")).findFirst().orElseThrow();
        byte[] appended = jdbc.queryForObject("SELECT payload FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND sequence_number = ?", byte[].class, token.id(), (long) before);
        assertThat(shape(json(appended))).as("TokenRevoked as the current version stores it")
                .isEqualTo(shape(json(bytes(previousRevocation.get("payload")))));
        assertThat(plans(token.id())).as("its warning plan ended").isZero();
        assertThat(count("SELECT count(*) FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?",
                WARNING_TASK, token.id())).as("its warning cancelled").isZero();
        assertThat(api.get("/api/tokens/self", token.plaintext()).status()).as("%s refused", token).isEqualTo(401);

        // a user of the previous version takes a new event too
        User erin = fixture.users().stream().filter(u -> u.username().equals("erin")).findFirst().orElseThrow();
        Api.Response role = api.put("/api/users/" + erin.id() + "/role", admin, Map.of("role", "USER"));
        assertThat(role.status()).as(role.raw()).isEqualTo(200);
        assertThat(role.json().get("role").asText()).isEqualTo("USER");
    }

    /**
     * The previous version stored each recorded use as a {@code TokenUsed} event in the token's stream. Such a token
     * still loads to take a new event, and its history keeps the use; a new use moves its migrated last use on and
     * adds no event.
     */
    @Test
    @Order(11)
    void aTokenWithUsesStoredAsEventsStillLoadsAndKeepsThemInItsHistory() {
        Token token = fixture.token("active-200-days");
        List<String> before = types(token.id());
        assertThat(before).as("history of %s", token).startsWith("PermanentTokenCreated", "TokenUsed");
        assertThat(api.get("/api/tokens/self", token.plaintext()).status()).as("%s authenticates", token)
                .isEqualTo(200);
        String previousUse = store.rows("token_view").stream().filter(r -> r.get("id").equals(token.id()))
                .findFirst().orElseThrow().get("last_used_at");
        await(() -> count("SELECT count(*) FROM token_usage WHERE token_id = ?::uuid AND last_used_at > ?::timestamptz",
                token.id(), previousUse) == 1, "the new use of " + token + " written after its stored one");

        Api.Response revoked = api.post("/api/tokens/" + token.id() + "/revoke", admin, Map.of("reason", "upgrade"));
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("REVOKED");
        List<JsonNode> after = history(token.id());
        assertThat(after.stream().map(e -> e.get("type").asText()).toList()).as("history of %s", token)
                .startsWith(before.toArray(String[]::new)).endsWith("TokenRevoked").hasSize(before.size() + 1);
        assertThat(after.get(before.size()).get("sequence").asLong()).isEqualTo(before.size());
    }

    private static void assertWrittenBack(Serializer serializer, String type, String revision, String stored,
                                          String what) {
        Object read = serializer.deserialize(serialized(stored, type, revision));
        byte[] written = serializer.serialize(read, byte[].class).getData();
        assertThat(new String(written, StandardCharsets.UTF_8)).as("%s as the current version writes it", what)
                .isEqualTo(new String(bytes(stored), StandardCharsets.UTF_8));
    }

    private static SimpleSerializedObject<byte[]> serialized(String bytea, String type, String revision) {
        return new SimpleSerializedObject<>(bytes(bytea), byte[].class, type, revision);
    }

    /** A bytea column of the fixture, {@code \x} and hex digits in COPY's text form. */
    private static byte[] bytes(String bytea) {
        return HexFormat.of().parseHex(bytea.substring(2));
    }

    /** Each field of a JSON object with the kind of its value (text, number, object, ...). */
    private static Map<String, String> shape(JsonNode object) {
        Map<String, String> shape = new TreeMap<>();
        object.properties().forEach(f -> shape.put(f.getKey(), f.getValue().getNodeType().name()));
        return shape;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return PreviousStore.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("not JSON", e);
        }
    }

    private List<JsonNode> items(String path) {
        Api.Response response = api.get(path, admin);
        assertThat(response.status()).as("%s: %s", path, response.raw()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().get("items").forEach(items::add);
        assertThat(response.json().get("total").asLong()).as("one page of " + path).isEqualTo(items.size());
        return items;
    }

    private static Map<String, JsonNode> byId(List<JsonNode> items) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        items.forEach(item -> byId.put(item.get("id").asText(), item));
        return byId;
    }

    private List<JsonNode> history(String tokenId) {
        Api.Response response = api.get("/api/audit/tokens/" + tokenId + "/events", admin);
        assertThat(response.status()).as("history of token %s", tokenId).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        response.json().forEach(events::add);
        return events;
    }

    private List<String> types(String tokenId) {
        return history(tokenId).stream().map(e -> e.get("type").asText()).toList();
    }

    /** The pending warning deadlines of the previous version's expiry sagas: deadline id to token id. */
    private Map<String, String> sagaWarnings() {
        Map<String, String> warnings = new TreeMap<>();
        for (Map<String, String> saga : store.rows("saga_entry")) {
            JsonNode state = json(bytes(saga.get("serialized_saga")));
            if (state.hasNonNull("pendingDeadlineId")) {
                warnings.put(state.get("pendingDeadlineId").asText(), state.at("/tokenId/value").asText());
            }
        }
        return warnings;
    }

    /** A token's warning plan: one while it is active. */
    private long plans(String tokenId) {
        return count("SELECT count(*) FROM expiry_warning WHERE token_id = ?::uuid", tokenId);
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private static boolean expiresAround(Token token, Instant now) {
        return Duration.between(now, token.expiresAt()).abs().compareTo(EXPIRY_MARGIN) < 0;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
