package io.tokenledger.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.DisableUser;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.app.webhook.Receiver;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import io.tokenledger.app.embedded.EmbeddedSmtpStarter;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The same command or the same event delivered more than once makes one state change. Commands: the very same
 * command message sent again, and sent by several threads at once, as a client retrying after a lost answer
 * would. Events: every processor's position is moved back over a stretch of history it has already handled —
 * what a crash between handling a batch and storing its position leaves — so each handler sees those events a
 * second time as live events: every read model, fault, e-mail, warning plan and deadline stays as it was. On an
 * instance of its own, so that rewinding its processors disturbs no other test.
 */
class DuplicateDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Read models and the other state events build, compared row for row before and after. */
    private static final List<String> STATE = List.of("user_view", "credential_user", "credential", "token_view",
            "token_owner", "active_token_of_user", "app_config_view", "notifier_user", "notifier_setting", "fault",
            "notification", "audit_event", "audit_chain", "expiry_warning",
            "token_name_claim", "username_claim", "setting_value", "webhook_token", "webhook_user", "webhook_delivery");

    private static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static Api api;
    private static JdbcTemplate jdbc;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "duplicates-");
        app = Instances.start("--tokenledger.data-dir=" + dataDir);
        api = Instances.api(app);
        jdbc = app.getBean(JdbcTemplate.class);
        admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        EmbeddedPostgresStarter.stop(dataDir);
    }

    @Test
    void theSameCommandSentAgainOrByManyAtOnceChangesStateOnce() throws Exception {
        assertThat(api.put("/api/settings/app-config/Enable%20User%20Token%20Expiration%20Notifications", admin,
                Map.of("value", "3")).status()).isEqualTo(200);
        String userId = api.createUser(admin, "twice-" + suffix(), "USER", Api.PASSWORD);
        String tokenId = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "retried",
                "expiresAt", Instant.now().plus(2, ChronoUnit.DAYS).toString())).json().get("id").asText();
        CommandGateway commands = app.getBean(CommandGateway.class);

        // one message, dispatched twice: as a bus redelivering it would (the token is inside the 3-day threshold,
        // so its own planned warning fires meanwhile too)
        var warn = GenericCommandMessage.asCommandMessage(new MarkExpiryApproaching(TokenId.of(tokenId)));
        commands.sendAndWait(warn);
        commands.sendAndWait(warn);
        assertThat(warnings(tokenId, 3)).as("one warning for one threshold").isOne();

        // eight clients retrying the same revoke at once
        List<Object> answers = concurrently(8, () -> api.post("/api/tokens/" + tokenId + "/revoke", admin,
                Map.of("reason", "retried")).status());
        assertThat(answers).containsOnly(200);
        assertThat(events(tokenId, "TokenRevoked")).isOne();
        commands.sendAndWait(new RevokeToken(TokenId.of(tokenId), null, "again"));
        assertThat(events(tokenId, "TokenRevoked")).isOne();

        // the same disabling, eight times at once through the gateway
        UserId adminId = UserId.of(api.get("/api/me", admin).json().get("id").asText());
        concurrently(8, () -> {
            commands.sendAndWait(new DisableUser(UserId.of(userId), adminId));
            return "sent";
        });
        assertThat(events(userId, "UserDisabled")).isOne();
        assertNoGapsOrDuplicates();
    }

    @Test
    void eventsHandledAgainAfterACrashBeforeTheirPositionWasStoredChangeNothing() throws Exception {
        Receiver receiver = new Receiver();
        Api.Response webhook = api.post("/api/webhooks", admin, Map.of("url", receiver.url("/dup"),
                "events", List.of("*")));
        assertThat(webhook.status()).isEqualTo(201);
        long before = head();
        String recipient = "dup-" + suffix() + "@ops.example.com";
        assertThat(api.put("/api/settings/app-config/User%20Token%20Expiration%20Notification%20Emails", admin,
                Map.of("value", recipient)).status()).isEqualTo(200);
        assertThat(api.put("/api/settings/app-config/Enable%20User%20Token%20Expiration%20Notifications", admin,
                Map.of("value", "7")).status()).isEqualTo(200);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String userId = api.createUser(admin, "redelivered-" + i + "-" + suffix(), "USER", Api.PASSWORD);
            Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "soon-" + i,
                    "expiresAt", Instant.now().plus(3, ChronoUnit.DAYS).toString()));
            assertThat(created.status()).isEqualTo(201);
            tokens.add(created.json().get("id").asText());
            api.get("/api/tokens/self", created.json().get("token").asText());
        }
        // each token's first use from this address is recorded off the request path: let it land before the
        // window closes, so nothing is appended after the head is read
        awaitUntil(() -> tokens.stream().allMatch(t -> events(t, "TokenUsedFromNewAddress") == 1),
                "first uses recorded");
        Api.Response rotated = api.post("/api/tokens/" + tokens.get(0) + "/rotate", admin, null);
        assertThat(rotated.status()).isEqualTo(201);
        api.post("/api/tokens/" + tokens.get(1) + "/revoke", admin, Map.of("reason", "done"));
        // every warning raised its fault and sent its e-mail, and every processor is at the head
        awaitUntil(() -> mailsTo(recipient) >= 3, "three warnings mailed");
        // the owners' copies too: a row turns SENT only after its peer took the message
        awaitUntil(() -> jdbc.queryForObject("SELECT count(*) FROM notification WHERE status = 'PENDING'",
                Long.class) == 0, "every notification sent");
        long head = head();
        awaitProcessorsAt(head);
        awaitUntil(() -> jdbc.queryForObject("SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING'",
                Long.class) == 0, "every webhook delivered");
        Map<String, String> stateBefore = state();
        int webhooksBefore = receiver.requests().size();
        Map<String, Integer> mailBefore = messageIds(recipient);
        long tasksBefore = pendingDeadlines();

        Map<String, AtomicInteger> redelivered = rewindEveryProcessorTo(before, head);
        awaitProcessorsAt(head);
        Figures.write("duplicate-delivery", Map.of("eventsInWindow", head - before,
                "handledAgain", redelivered.toString(), "tablesCompared", STATE.size()));
        assertThat(redelivered).as("events each processor handled a second time")
                .allSatisfy((processor, events) -> assertThat(events.get()).isPositive());
        Thread.sleep(2_500); // a scheduler poll and an outbox round, which must find nothing new to do

        assertThat(head()).as("redelivery appends no event").isEqualTo(head);
        Map<String, String> stateAfter = state();
        for (String table : STATE) {
            assertThat(stateAfter.get(table)).as(table + " after its events were handled again")
                    .isEqualTo(stateBefore.get(table));
        }
        assertThat(messageIds(recipient)).as("e-mails by Message-ID").isEqualTo(mailBefore)
                .allSatisfy((id, copies) -> assertThat(copies).isOne());
        assertThat(pendingDeadlines()).as("deadlines").isEqualTo(tasksBefore);
        assertThat(webhooksBefore).as("webhooks delivered: 4 created, 1 rotated, 2 revoked, 3 warnings").isEqualTo(10);
        assertThat(receiver.requests()).as("webhooks, none sent again").hasSize(webhooksBefore);
        assertThat(receiver.requests().stream().map(r -> r.header("webhook-id")).distinct()).hasSize(webhooksBefore);
        receiver.close();
        assertThat(api.get("/api/audit/verify", admin).json().get("verified").asBoolean()).isTrue();
        assertNoGapsOrDuplicates();
    }

    /**
     * Stops every streaming processor, moves all its segments back to that position, and starts it again; counts,
     * per processor, the events up to {@code head} its handlers see again.
     */
    private static Map<String, AtomicInteger> rewindEveryProcessorTo(long position, long head) {
        EventProcessingConfiguration processing = app.getBean(EventProcessingConfiguration.class);
        TokenStore tokens = app.getBean(TokenStore.class);
        Map<String, StreamingEventProcessor> processors = new LinkedHashMap<>();
        // Every processor whose position is stored; the live processor keeps its own in memory and starts at the
        // head by design, so a crash makes it skip rather than repeat.
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming && tokens.fetchSegments(name).length > 0) {
                processors.put(name, streaming);
            }
        });
        // The read models, the notifier and the webhook queue are written in the command's transaction, never
        // redelivered; the tracking processor (the audit chain) is.
        assertThat(processors.keySet()).containsExactlyInAnyOrder("audit-chain");
        processors.values().forEach(StreamingEventProcessor::shutDown);
        Map<String, AtomicInteger> handled = new LinkedHashMap<>();
        processors.forEach((name, processor) -> {
            AtomicInteger count = handled.computeIfAbsent(name, n -> new AtomicInteger());
            processor.registerHandlerInterceptor((unitOfWork, chain) -> {
                if (unitOfWork.getMessage() instanceof TrackedEventMessage<?> tracked
                        && tracked.trackingToken().position().orElse(Long.MAX_VALUE) <= head) {
                    count.incrementAndGet();
                }
                return chain.proceed();
            });
        });
        for (String name : processors.keySet()) {
            for (int segment : tokens.fetchSegments(name)) {
                tokens.storeToken(GapAwareTrackingToken.newInstance(position, Collections.emptySortedSet()), name,
                        segment);
                tokens.releaseClaim(name, segment);
            }
        }
        processors.values().forEach(StreamingEventProcessor::start);
        return handled;
    }

    private static void awaitProcessorsAt(long head) {
        awaitUntil(() -> {
            List<Long> positions = jdbc.query("SELECT token FROM token_entry WHERE token IS NOT NULL",
                    (rs, i) -> position(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8)));
            return !positions.isEmpty() && positions.stream().allMatch(p -> p >= head);
        }, "every processor at " + head);
    }

    /** The index a stored token has reached (GapAwareTrackingToken, or its replay wrapper, as JSON). */
    private static long position(String json) {
        var m = java.util.regex.Pattern.compile("\"index\"\\s*:\\s*(-?\\d+)").matcher(json);
        long max = -1;
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
        }
        return max;
    }

    private static long head() {
        Long head = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    private static long events(String aggregateId, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND payload_type LIKE ?", Long.class, aggregateId, "%." + type);
    }

    private static long warnings(String tokenId, int daysBefore) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "AND payload_type LIKE '%.TokenExpiryApproaching' AND convert_from(payload, 'UTF8') LIKE ?",
                Long.class, tokenId, "%\"daysBefore\":" + daysBefore + "%");
    }

    private static long pendingDeadlines() {
        return jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks", Long.class);
    }

    /** Each table's rows, as one digest and a count. */
    private static Map<String, String> state() {
        Map<String, String> state = new LinkedHashMap<>();
        for (String table : STATE) {
            state.put(table, jdbc.queryForObject("SELECT count(*) || ' rows, ' || md5(coalesce(string_agg(t::text, "
                    + "E'\\n' ORDER BY t::text), '')) FROM " + table + " t", String.class));
        }
        return state;
    }

    /** Sequence numbers of every aggregate run 0..n without a gap or a repeat. */
    private static void assertNoGapsOrDuplicates() {
        assertThat(jdbc.queryForList("""
                SELECT aggregate_identifier FROM domain_event_entry GROUP BY aggregate_identifier
                HAVING count(*) <> max(sequence_number) + 1 OR count(DISTINCT sequence_number) <> count(*)
                    OR min(sequence_number) <> 0""", String.class)).isEmpty();
    }

    private static Map<String, Integer> messageIds(String recipient) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (MimeMessage message : mail(recipient)) {
            try {
                ids.merge(message.getMessageID(), 1, Integer::sum);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }

    private static int mailsTo(String recipient) {
        return mail(recipient).size();
    }

    private static List<MimeMessage> mail(String recipient) {
        return Arrays.stream(EmbeddedSmtpStarter.running().getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients() != null && Arrays.stream(m.getAllRecipients())
                        .anyMatch(a -> a.toString().equalsIgnoreCase(recipient));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static List<Object> concurrently(int clients, Callable<Object> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + WAIT).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
