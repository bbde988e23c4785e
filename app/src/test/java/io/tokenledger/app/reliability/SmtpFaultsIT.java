package io.tokenledger.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Expiry e-mails through an SMTP server that is down, then refuses for now (4xx), then rejects (5xx) fewer times
 * than {@code max-attempts}, then works: the outbox keeps retrying, and every e-mail is delivered exactly once (its
 * Message-ID once at the server), none lost. An e-mail rejected {@code max-attempts} times ends FAILED with the
 * server's reply, listed by the API and counted by health and metrics, and is never sent afterwards. The server is
 * GreenMail behind {@link FaultySmtp}; the figures go to {@code target/reliability/smtp-faults.json}.
 */
class SmtpFaultsIT {
    private static final String ADMIN_PASSWORD = "admin-test-password";
    /** Small, so that the refusals before the rejections alone already reach it. */
    private static final int MAX_ATTEMPTS = 4;
    private static final int MAILS = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private GreenMail greenMail;
    private FaultySmtp smtp;
    private Path dataDir;
    private ConfigurableApplicationContext app;

    @AfterEach
    void stopEverything() throws IOException {
        if (app != null) {
            app.close();
        }
        if (dataDir != null) {
            EmbeddedPostgresStarter.stop(dataDir);
        }
        if (smtp != null) {
            smtp.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    @Test
    void mailsOutlastOutagesAndRefusalsOnceEachAndMailsRejectedForGoodFailVisibly() throws Exception {
        greenMail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        smtp = new FaultySmtp(greenMail.getSmtp().getPort(), FaultySmtp.Mode.DOWN);
        dataDir = Files.createTempDirectory(Path.of("target"), "smtp-faults-");
        app = Instances.start("--tokenledger.data-dir=" + dataDir, "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + smtp.port(), "--tokenledger.notifications.max-attempts=" + MAX_ATTEMPTS);
        Api api = Instances.api(app);
        String admin = api.login("admin", ADMIN_PASSWORD);
        assertThat(api.put("/api/settings/app-config/" + URLEncoder.encode("Enable User Token Expiration Notifications",
                StandardCharsets.UTF_8).replace("+", "%20"), admin, Map.of("value", "7")).status()).isEqualTo(200);
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Long> phases = new LinkedHashMap<>();

        // Each warning mails only its token's owner: one recipient per e-mail, so the front counts per e-mail.
        long start = System.nanoTime();
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < MAILS; i++) {
            recipients.add(warnOwner(api, admin));
        }
        Predicate<JsonNode> all = n -> recipients.contains(n.get("recipient").asText().toLowerCase(Locale.ROOT));

        // Down: nothing listens; every e-mail is tried and waits for its retry.
        await().atMost(WAIT).until(() -> notifications(api, admin, all).size() == MAILS
                && notifications(api, admin, all).stream().allMatch(n -> n.get("attempts").asInt() >= 2));
        for (JsonNode n : notifications(api, admin, all)) {
            assertThat(n.get("status").asText()).isEqualTo("PENDING");
            assertThat(n.get("lastError").asText()).containsIgnoringCase("connect");
        }
        phases.put("DOWN", millisSince(start));

        // 4xx: refused for now, retried without limit: past max-attempts, still pending.
        long temporary = System.nanoTime();
        smtp.mode(FaultySmtp.Mode.TEMPORARY);
        await().atMost(WAIT).until(() -> notifications(api, admin, all).stream()
                .allMatch(n -> n.get("attempts").asInt() >= MAX_ATTEMPTS
                        && n.get("lastError").asText().matches(".*\\b4[25]1\\b.*")));
        assertThat(notifications(api, admin, all))
                .allSatisfy(n -> assertThat(n.get("status").asText()).isEqualTo("PENDING"));
        assertThat(smtp.answers()).containsKeys("421", "451");
        phases.put("TEMPORARY", millisSince(temporary));

        // 5xx, but fewer times than max-attempts: still pending.
        long reject = System.nanoTime();
        smtp.mode(FaultySmtp.Mode.REJECT);
        await().atMost(WAIT).until(() -> recipients.stream().allMatch(r -> smtp.rejections().getOrDefault(r, 0) >= 1));
        smtp.mode(FaultySmtp.Mode.PASS);
        phases.put("REJECT", millisSince(reject));
        Map<String, Integer> rejectedBeforePass = smtp.rejections();
        assertThat(rejectedBeforePass.values()).allSatisfy(n -> assertThat(n).isLessThan(MAX_ATTEMPTS));

        // Working again: every e-mail sent, once.
        long pass = System.nanoTime();
        List<JsonNode> sent = await().atMost(WAIT).until(() -> notifications(api, admin, all),
                list -> list.stream().allMatch(n -> n.get("status").asText().equals("SENT")));
        phases.put("PASS_UNTIL_ALL_SENT", millisSince(pass));
        Thread.sleep(2_000); // the sender polls every 200 ms: give a second copy every chance to go out
        Map<String, Long> copies = messageIds();
        for (JsonNode n : sent) {
            assertThat(copies.get("<" + n.get("id").asText() + "@tokenledger>")).as("copies of %s", n).isEqualTo(1L);
            assertThat(n.get("attempts").asInt()).isGreaterThan(MAX_ATTEMPTS);
            assertThat(n.get("sentAt").isNull()).isFalse();
        }
        assertThat(copies.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(MAILS);

        // Rejected max-attempts times: FAILED with the server's reply, visible, counted, never sent.
        smtp.mode(FaultySmtp.Mode.REJECT);
        String doomed = warnOwner(api, admin);
        long failing = System.nanoTime();
        Predicate<JsonNode> doomedMail = n -> n.get("recipient").asText().equalsIgnoreCase(doomed);
        JsonNode failed = await().atMost(WAIT).until(() -> notifications(api, admin, doomedMail),
                list -> list.size() == 1 && list.get(0).get("status").asText().equals("FAILED")).get(0);
        phases.put("REJECT_UNTIL_FAILED", millisSince(failing));
        assertThat(smtp.rejections().get(doomed)).isEqualTo(MAX_ATTEMPTS);
        assertThat(failed.get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
        assertThat(failed.get("lastError").asText()).matches(".*\\b55[04] 5\\.\\d\\.\\d faulty\\.test .*");
        assertThat(failed.get("sentAt").isNull()).isTrue();
        assertThat(notifications(api, admin, "status=FAILED", doomedMail)).hasSize(1);
        JsonNode outbox = api.get("/actuator/health", admin).json().at("/components/outbox/details");
        assertThat(outbox.get("failed").asLong()).isEqualTo(1);
        String metrics = api.get("/actuator/prometheus", admin).raw();
        assertThat(metrics).containsPattern("tokenledger_outbox_depth\\{[^}]*status=\"FAILED\"[^}]*} 1\\.0");
        smtp.mode(FaultySmtp.Mode.PASS);
        Thread.sleep(2_000);
        assertThat(notifications(api, admin, doomedMail).get(0).get("status").asText()).isEqualTo("FAILED");
        assertThat(messageIds()).doesNotContainKey("<" + failed.get("id").asText() + "@tokenledger>");

        figures.put("maxAttempts", MAX_ATTEMPTS);
        figures.put("mails", MAILS);
        figures.put("phaseMillis", phases);
        figures.put("attemptsWhenSent", sent.stream().map(n -> n.get("attempts").asInt()).sorted().toList());
        figures.put("rejectionsBeforePass", rejectedBeforePass.values().stream().sorted().toList());
        figures.put("copiesAtServer", copies.values().stream().sorted().toList());
        figures.put("failedAfterRejections", smtp.rejections().get(doomed));
        figures.put("failedLastError", failed.get("lastError").asText());
        figures.put("answersByCode", smtp.answers());
        figures.put("connections", smtp.connections());
        Figures.write("smtp-faults", figures);
    }

    /** A user with a token inside the warning window: its warning mails the owner. Returns the owner's address. */
    private static String warnOwner(Api api, String admin) {
        String username = "owner-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = api.createUser(admin, username, "USER", Api.PASSWORD);
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "deploy",
                "expiresAt", Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS).toString()));
        assertThat(created.status()).isEqualTo(201);
        return (username + "@example.com").toLowerCase(Locale.ROOT);
    }

    private static List<JsonNode> notifications(Api api, String admin, Predicate<JsonNode> which) {
        return notifications(api, admin, "", which);
    }

    private static List<JsonNode> notifications(Api api, String admin, String filter, Predicate<JsonNode> which) {
        Api.Response response = api.get("/api/notifications?size=200&" + filter, admin);
        assertThat(response.status()).isEqualTo(200);
        return StreamSupport.stream(response.json().get("items").spliterator(), false).filter(which).toList();
    }

    /** How many copies of each Message-ID the server received. */
    private Map<String, Long> messageIds() {
        return Arrays.stream(greenMail.getReceivedMessages()).collect(Collectors.groupingBy(SmtpFaultsIT::messageId,
                Collectors.counting()));
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
