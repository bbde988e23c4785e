package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import io.tokenledger.app.embedded.EmbeddedSmtpStarter;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole chain on embedded PostgreSQL and GreenMail: the two notification keys set over the API, a token
 * that expires within the window, the token's warning firing, the fault and one e-mail per address; then a
 * restart that sends nothing again, and a revoke that clears the fault.
 */
class ExpiryNotificationEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static ConfigurableApplicationContext start(Path dataDir) {
        return Instances.start("--tokenledger.data-dir=" + dataDir);
    }

    private static long mailTo(String address) {
        return Arrays.stream(EmbeddedSmtpStarter.running().getReceivedMessages())
                .filter(m -> isFor(m, address)).count();
    }

    private static boolean isFor(MimeMessage message, String address) {
        try {
            return message.getAllRecipients() != null && Arrays.stream(message.getAllRecipients())
                    .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the tracking processors have handled every stored event and no e-mail is left to send. */
    private static void awaitQuiet(ConfigurableApplicationContext context) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        EventProcessingConfiguration processing = context.getBean(EventProcessingConfiguration.class);
        long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        await().atMost(WAIT).until(() -> processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
                .allMatch(p -> !p.processingStatus().isEmpty() && p.processingStatus().values().stream()
                        .allMatch(s -> s.getCurrentPosition().orElse(-1) >= head))
                && jdbc.queryForObject("SELECT count(*) FROM notification WHERE status = 'PENDING'", Long.class) == 0);
    }

    @Test
    void aWarningReachesEveryAddressOnceAcrossARestartAndRevokingClearsItsFault() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "notify-");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String opsA = "ops-" + tag + "@ops.example.com";
        String opsB = "sec-" + tag + "@ops.example.com";
        String ownerMail = "owner-" + tag + "@example.com";
        String tokenId;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = Instances.api(first);
            String admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
            assertThat(api.put(SettingsFlowTest.path(SettingsFlowTest.DAYS), admin, Map.of("value", "30;7")).status())
                    .isEqualTo(200);
            assertThat(api.put(SettingsFlowTest.path(SettingsFlowTest.EMAILS), admin,
                    Map.of("value", opsA + "; " + opsB)).status()).isEqualTo(200);
            Api.Response user = api.post("/api/users", admin, Map.of("username", "owner-" + tag, "email", ownerMail,
                    "displayName", "Owner", "role", "USER", "password", Api.PASSWORD));
            assertThat(user.status()).isEqualTo(201);
            Instant expiresAt = Instant.now().plus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
            Api.Response created = api.post("/api/users/" + user.json().get("id").asText() + "/tokens", admin,
                    Map.of("name", "ci-deploy", "expiresAt", expiresAt.toString()));
            assertThat(created.status()).isEqualTo(201);
            tokenId = created.json().get("id").asText();

            // 30 and 7 days have both passed: one warning, the closer one, at once
            JsonNode fault = await().atMost(WAIT).until(() -> api.get("/api/faults?tokenId=" + tokenId, admin).json(),
                    page -> page.get("total").asLong() == 1).at("/items/0");
            assertThat(fault.get("type").asText()).isEqualTo("TOKEN_EXPIRING");
            assertThat(fault.get("daysBefore").asInt()).isEqualTo(7);
            assertThat(fault.get("status").asText()).isEqualTo("OPEN");
            assertThat(fault.get("username").asText()).isEqualTo("owner-" + tag);
            assertThat(Instant.parse(fault.get("expiresAt").asText())).isEqualTo(expiresAt);
            await().atMost(WAIT).until(() -> mailTo(opsA) == 1 && mailTo(opsB) == 1 && mailTo(ownerMail) == 1);
            awaitQuiet(first);
        }
        EmbeddedPostgresStarter.stop(dataDir);

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = Instances.api(second);
            String admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
            awaitQuiet(second);
            Thread.sleep(3_000); // another round of the scheduler and the sender must not send again
            assertThat(mailTo(opsA)).isEqualTo(1);
            assertThat(mailTo(opsB)).isEqualTo(1);
            assertThat(mailTo(ownerMail)).isEqualTo(1);
            assertThat(second.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM domain_event_entry "
                    + "WHERE aggregate_identifier = ? AND payload_type LIKE '%.TokenExpiryApproaching'", Long.class,
                    tokenId)).isEqualTo(1);

            assertThat(api.post("/api/tokens/" + tokenId + "/revoke", admin, null).status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> api.get("/api/faults?tokenId=" + tokenId, admin).json()
                    .at("/items/0/status").asText().equals("CLEARED"));
            JsonNode mails = api.get("/api/notifications?tokenId=" + tokenId, admin).json();
            assertThat(mails.get("total").asLong()).isEqualTo(3);
            mails.get("items").forEach(m -> assertThat(m.get("status").asText()).isEqualTo("SENT"));
        } finally {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }
}
