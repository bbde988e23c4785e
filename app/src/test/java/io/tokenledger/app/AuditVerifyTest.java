package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.token.TokenUsed;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code GET /api/audit/verify} recomputes the hash chain from the stored events and names the first one that was
 * changed or deleted. Runs on its own database, whose events this test changes behind the application's back;
 * every test leaves the store as it found it.
 */
class AuditVerifyTest {
    private static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static Api api;
    private static JdbcTemplate jdbc;
    private String admin;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "audit-chain-");
        app = Instances.start("--tokenledger.data-dir=" + dataDir);
        api = Instances.api(app);
        jdbc = app.getBean(JdbcTemplate.class);
        String seeder = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
        for (String name : List.of("alpha", "bravo", "charlie")) {
            String userId = api.createUser(seeder, name, "USER", Api.PASSWORD);
            String tokenId = api.post("/api/users/" + userId + "/tokens", seeder, Map.of("name", name + "-token"))
                    .json().get("id").asText();
            if (name.equals("charlie")) {
                api.post("/api/tokens/" + tokenId + "/revoke", seeder, Map.of("reason", "test"));
            }
        }
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

    @BeforeEach
    void login() {
        admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
    }

    private static long storedEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }

    /** Waits until the chain has linked every stored event (events keep coming: logins, token uses). */
    private static long awaitChained() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            long stored = storedEvents();
            if (jdbc.queryForObject("SELECT count(*) FROM audit_chain", Long.class) == stored) {
                return stored;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the chain did not link every event in time");
    }

    private JsonNode verify() {
        Api.Response response = api.get("/api/audit/verify", admin);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.json();
    }

    private static void awaitLinked(long globalIndex) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (jdbc.queryForObject("SELECT count(*) FROM audit_chain WHERE global_index = ?", Long.class,
                globalIndex) == 0) {
            assertThat(System.currentTimeMillis()).as("event " + globalIndex + " linked in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Verifies once every stored event is linked; a token use recorded meanwhile means another round. */
    private JsonNode verifiedIntact() throws InterruptedException {
        long events = awaitChained();
        JsonNode verification = verify();
        for (int round = 0; round < 5 && verification.get("checkedEvents").asLong() != events; round++) {
            events = awaitChained();
            verification = verify();
        }
        assertThat(verification.get("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.get("checkedEvents").asLong()).isEqualTo(events);
        assertThat(verification.has("firstBrokenGlobalIndex")).isFalse();
        // The head as verification read it: a link of the chain (more may have been added since).
        String head = verification.get("headHash").asText();
        assertThat(head).matches("[0-9a-f]{64}");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_chain WHERE hash = ?", Long.class, head))
                .isEqualTo(1);
        return verification;
    }

    private long positionOf(long globalIndex) {
        return jdbc.queryForObject("SELECT position FROM audit_chain WHERE global_index = ?", Long.class, globalIndex);
    }

    private long indexOfTokenCreated(String name) {
        return jdbc.queryForObject("""
                SELECT global_index FROM domain_event_entry
                WHERE payload_type LIKE '%.PermanentTokenCreated' AND convert_from(payload, 'UTF8') LIKE ?""",
                Long.class, "%\"" + name + "\"%");
    }

    @Test
    void anIntactStoreVerifiesAndAChangedPayloadIsNamed() throws Exception {
        verifiedIntact();

        long changed = indexOfTokenCreated("bravo-token");
        byte[] original = jdbc.queryForObject("SELECT payload FROM domain_event_entry WHERE global_index = ?",
                byte[].class, changed);
        assertThat(jdbc.update("""
                UPDATE domain_event_entry
                SET payload = convert_to(replace(convert_from(payload, 'UTF8'), 'bravo-token', 'bravo-tokem'), 'UTF8')
                WHERE global_index = ?""", changed)).isEqualTo(1);
        try {
            JsonNode broken = verify();
            assertThat(broken.get("verified").asBoolean()).isFalse();
            assertThat(broken.get("firstBrokenGlobalIndex").asLong()).isEqualTo(changed);
            assertThat(broken.get("checkedEvents").asLong()).isEqualTo(positionOf(changed));
            assertThat(broken.get("headHash").asText()).isNotEmpty();
        } finally {
            jdbc.update("UPDATE domain_event_entry SET payload = ? WHERE global_index = ?", original, changed);
        }
        verifiedIntact();

        // metadata and the stored time count as much as the payload
        long retimed = indexOfTokenCreated("alpha-token");
        String time = jdbc.queryForObject("SELECT time_stamp FROM domain_event_entry WHERE global_index = ?",
                String.class, retimed);
        jdbc.update("UPDATE domain_event_entry SET time_stamp = ? WHERE global_index = ?",
                Instant.parse(time).minusSeconds(3600).toString(), retimed);
        try {
            assertThat(verify().get("firstBrokenGlobalIndex").asLong()).isEqualTo(retimed);
        } finally {
            jdbc.update("UPDATE domain_event_entry SET time_stamp = ? WHERE global_index = ?", time, retimed);
        }
        verifiedIntact();
    }

    @Test
    void aDeletedEventOrAnEditedLinkIsNamed() throws Exception {
        verifiedIntact();
        long deleted = indexOfTokenCreated("charlie-token");
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM domain_event_entry WHERE global_index = ?", deleted);
        jdbc.update("DELETE FROM domain_event_entry WHERE global_index = ?", deleted);
        try {
            JsonNode broken = verify();
            assertThat(broken.get("verified").asBoolean()).isFalse();
            assertThat(broken.get("firstBrokenGlobalIndex").asLong()).isEqualTo(deleted);
        } finally {
            jdbc.update("""
                    INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, sequence_number,
                        type, time_stamp, payload_type, payload_revision, payload, meta_data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", row.get("global_index"), row.get("event_identifier"),
                    row.get("aggregate_identifier"), row.get("sequence_number"), row.get("type"),
                    row.get("time_stamp"), row.get("payload_type"), row.get("payload_revision"), row.get("payload"),
                    row.get("meta_data"));
        }
        verifiedIntact();

        // rewriting a link of the chain itself is noticed as well
        long relinked = indexOfTokenCreated("alpha-token");
        String hash = jdbc.queryForObject("SELECT hash FROM audit_chain WHERE global_index = ?", String.class, relinked);
        jdbc.update("UPDATE audit_chain SET hash = ? WHERE global_index = ?", "0".repeat(64), relinked);
        try {
            assertThat(verify().get("firstBrokenGlobalIndex").asLong()).isEqualTo(relinked);
        } finally {
            jdbc.update("UPDATE audit_chain SET hash = ? WHERE global_index = ?", hash, relinked);
        }
        verifiedIntact();
    }

    /**
     * The attack: with write access to the database, insert an administrator and a token into the authentication
     * read model, log in with the token, and let verification still say {@code verified: true}. The read model is now
     * rebuilt from the events and compared row by row: the rows no event explains, and a role changed behind the
     * events' back, are named.
     */
    @Test
    void aCredentialRowNoEventExplainsIsNamedByTheVerification() throws Exception {
        JsonNode intact = verifiedIntact();
        JsonNode credentials = intact.get("readModels").get(0);
        assertThat(credentials.get("name").asText()).isEqualTo("credentials");
        assertThat(credentials.get("verified").asBoolean()).isTrue();
        assertThat(credentials.get("checkedRows").asLong()).isPositive();
        assertThat(credentials.get("discrepancies")).isEmpty();

        UUID forgedUser = UUID.randomUUID();
        UUID forgedToken = UUID.randomUUID();
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        String alpha = jdbc.queryForObject("SELECT user_id::text FROM credential_user WHERE username = 'alpha'",
                String.class);
        jdbc.update("INSERT INTO credential_user (user_id, username, role, enabled, version) VALUES (?, 'mallory',"
                + " 'ADMIN', true, 0)", forgedUser);
        jdbc.update("INSERT INTO credential (token_id, token_hash, kind, user_id, status, expires_at) VALUES (?, ?,"
                + " 'PERMANENT', ?, 'ACTIVE', now() + interval '1 day')", forgedToken, secret.hash().hex(), forgedUser);
        jdbc.update("UPDATE credential_user SET role = 'ADMIN' WHERE username = 'alpha'");
        try {
            JsonNode forged = verify();
            assertThat(forged.get("verified").asBoolean()).as(forged.toString()).isFalse();
            assertThat(forged.has("firstBrokenGlobalIndex")).as("the events themselves are intact").isFalse();
            JsonNode check = forged.get("readModels").get(0);
            assertThat(check.get("verified").asBoolean()).isFalse();
            assertThat(check.get("discrepancyCount").asLong()).isEqualTo(3);
            assertThat(check.get("discrepancies").toString())
                    .contains("{\"table\":\"credential\",\"key\":\"" + forgedToken + "\",\"found\":\"UNEXPLAINED\"}")
                    .contains("{\"table\":\"credential_user\",\"key\":\"" + forgedUser
                            + "\",\"found\":\"UNEXPLAINED\"}")
                    .contains("{\"table\":\"credential_user\",\"key\":\"" + alpha + "\",\"found\":\"CHANGED\"}")
                    .doesNotContain(secret.hash().hex());
        } finally {
            jdbc.update("DELETE FROM credential WHERE token_id = ?", forgedToken);
            jdbc.update("DELETE FROM credential_user WHERE user_id = ?", forgedUser);
            jdbc.update("UPDATE credential_user SET role = 'USER' WHERE username = 'alpha'");
        }
        verifiedIntact();

        // a row the events wrote and someone deleted is named too
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM credential_user WHERE username = 'bravo'");
        jdbc.update("DELETE FROM credential_user WHERE user_id = ?", row.get("user_id"));
        try {
            JsonNode check = verify().get("readModels").get(0);
            assertThat(check.get("discrepancies").toString()).contains("{\"table\":\"credential_user\",\"key\":\""
                    + row.get("user_id") + "\",\"found\":\"MISSING\"}");
        } finally {
            jdbc.update("INSERT INTO credential_user (user_id, username, role, enabled, version) VALUES (?, ?, ?, ?, ?)",
                    row.get("user_id"), row.get("username"), row.get("role"), row.get("enabled"), row.get("version"));
        }
        verifiedIntact();
    }

    /**
     * An event of a transaction that commits after later ones fills a gap in the global index. The chain links it
     * when it sees it, after those later events, and verification follows the chain's order; the audit log, written
     * in the event's own transaction, files it under its own global index.
     */
    @Test
    void anEventThatCommittedLateIsLinkedWhenSeenAndLoggedUnderItsOwnIndex() throws Exception {
        verifiedIntact();
        EventBus events = app.getBean(EventBus.class);
        TransactionManager transactions = app.getBean(TransactionManager.class);
        TokenId token = TokenId.random();
        // the late one: stored and logged in a transaction held open until the later events have committed
        CountDownLatch stored = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread late = new Thread(() -> {
            DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
            unitOfWork.attachTransaction(transactions);
            unitOfWork.execute(() -> {
                events.publish(GenericEventMessage.asEventMessage(new TokenUsed(token, Instant.now(), "203.0.113.9")));
                unitOfWork.onPrepareCommit(u -> {
                    stored.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            });
        });
        late.start();
        assertThat(stored.await(10, TimeUnit.SECONDS)).isTrue();
        events.publish(List.of(GenericEventMessage.asEventMessage(new TokenUsed(token, Instant.now(), "203.0.113.1")),
                GenericEventMessage.asEventMessage(new TokenUsed(token, Instant.now(), "203.0.113.2"))));
        long laterIndex = indexOfUse("203.0.113.2");
        awaitLinked(laterIndex);
        release.countDown();
        late.join(10_000);
        long gap = indexOfUse("203.0.113.9");
        assertThat(gap).isLessThan(laterIndex);
        awaitLinked(gap);
        assertThat(positionOf(gap)).isGreaterThan(positionOf(laterIndex));
        verifiedIntact();

        JsonNode logged = api.get("/api/audit/events?type=TokenUsed&tokenId=" + token, admin).json();
        assertThat(logged.get("total").asLong()).isEqualTo(3);
        assertThat(logged.at("/items/0/globalIndex").asLong()).isEqualTo(gap);
        assertThat(logged.at("/items/0/payload/clientIp").asText()).isEqualTo("203.0.113.9");
        assertThat(logged.at("/items/2/globalIndex").asLong()).isEqualTo(laterIndex);
        assertThat(logged.at("/items/2/payload/clientIp").asText()).isEqualTo("203.0.113.2");
    }

    private static long indexOfUse(String clientIp) {
        return jdbc.queryForObject("""
                SELECT max(global_index) FROM domain_event_entry
                WHERE payload_type LIKE '%.TokenUsed' AND convert_from(payload, 'UTF8') LIKE ?""", Long.class,
                "%" + clientIp + "%");
    }

    /** The chain is evidence of what the store held when each event was first seen: it cannot be rebuilt. */
    @Test
    void theChainProcessorRefusesAReset() {
        StreamingEventProcessor chain = app.getBean(EventProcessingConfiguration.class)
                .eventProcessor("audit-chain", StreamingEventProcessor.class).orElseThrow();
        assertThat(chain.supportsReset()).isFalse();
    }
}
