package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.embedded.EmbeddedSmtpStarter;
import io.tokenledger.notifier.ConsoleAddress;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Expiry warnings become faults and e-mails, over real HTTP, the real event store and a real SMTP peer. The
 * token's warning firing is not involved: the tests publish its warning themselves. GreenMail is shared by every test,
 * so each test reads only the mailboxes of its own fresh addresses.
 */
class NotifierFlowTest extends IntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    EventGateway events;
    @Autowired
    ConsoleAddress console;

    /** A user with a permanent token, as the admin created them over the API. */
    private record Owner(String id, String username, String tokenId, String tokenName, String hint,
                         Instant expiresAt) {
        String email() {
            return username + "@example.com";
        }
    }

    private Owner ownerWithToken(String admin, String tokenName) {
        String username = unique("owner");
        String id = api.createUser(admin, username, "USER", Api.PASSWORD);
        return token(admin, new Owner(id, username, null, null, null, null), tokenName);
    }

    private Owner token(String admin, Owner owner, String tokenName) {
        Api.Response created = api.post("/api/users/" + owner.id() + "/tokens", admin, Map.of("name", tokenName,
                "expiresAt", LocalDate.now(ZoneOffset.UTC).plusDays(7).toString()));
        assertThat(created.status()).isEqualTo(201);
        JsonNode token = created.json();
        return new Owner(owner.id(), owner.username(), token.get("id").asText(), tokenName,
                token.get("hint").asText(), Instant.parse(token.get("expiresAt").asText()));
    }

    /** Sets the addresses every warning goes to, through the App Config API. */
    private void configureRecipients(String admin, String... addresses) {
        assertThat(api.put(SettingsFlowTest.path(SettingsFlowTest.EMAILS), admin,
                Map.of("value", String.join(";", addresses))).status()).isEqualTo(200);
    }

    @AfterEach
    void noRecipients() {
        api.delete(SettingsFlowTest.path(SettingsFlowTest.EMAILS), adminToken());
    }

    private TokenExpiryApproaching warning(Owner owner, int daysBefore) {
        return new TokenExpiryApproaching(TokenId.of(owner.tokenId()), UserId.of(owner.id()), owner.tokenName(),
                owner.hint(), owner.expiresAt(), daysBefore, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static String opsAddress() {
        return unique("ops") + "@ops.example.com";
    }

    private JsonNode faultsOf(String token, Owner owner) {
        Api.Response response = api.get("/api/faults?tokenId=" + owner.tokenId(), token);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private JsonNode notificationsOf(String token, Owner owner) {
        Api.Response response = api.get("/api/notifications?tokenId=" + owner.tokenId() + "&sort=recipient,asc", token);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private JsonNode awaitFault(String admin, Owner owner) {
        return await().atMost(WAIT).until(() -> faultsOf(admin, owner), f -> f.get("total").asLong() == 1)
                .at("/items/0");
    }

    private static List<JsonNode> items(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false).toList();
    }

    /** Messages GreenMail holds for the address, whatever its case. */
    private static List<MimeMessage> mailTo(String address) {
        return Arrays.stream(EmbeddedSmtpStarter.running().getReceivedMessages())
                .filter(m -> recipients(m).stream().anyMatch(address::equalsIgnoreCase))
                .toList();
    }

    private static List<String> recipients(MimeMessage message) {
        try {
            Address[] all = message.getAllRecipients();
            return all == null ? List.of() : Arrays.stream(all).map(a -> ((InternetAddress) a).getAddress()).toList();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage message) {
        try {
            return (String) message.getContent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWarningRaisesOneFaultAndMailsEachAddressOnceEvenWhenRedelivered() throws Exception {
        String admin = adminToken();
        Owner owner = ownerWithToken(admin, "ci-deploy");
        String opsA = opsAddress();
        String opsB = opsAddress();
        // the owner's address configured again, in capitals: still one e-mail for them
        configureRecipients(admin, opsA, opsB, owner.email().toUpperCase());
        TokenExpiryApproaching warning = warning(owner, 7);
        events.publish(warning);

        JsonNode fault = awaitFault(admin, owner);
        assertThat(fault.get("type").asText()).isEqualTo("TOKEN_EXPIRING");
        assertThat(fault.get("tokenId").asText()).isEqualTo(owner.tokenId());
        assertThat(fault.get("tokenName").asText()).isEqualTo("ci-deploy");
        assertThat(fault.get("tokenHint").asText()).isEqualTo(owner.hint());
        assertThat(fault.get("userId").asText()).isEqualTo(owner.id());
        assertThat(fault.get("username").asText()).isEqualTo(owner.username());
        assertThat(fault.get("daysBefore").asInt()).isEqualTo(7);
        assertThat(Instant.parse(fault.get("expiresAt").asText())).isEqualTo(owner.expiresAt());
        assertThat(Instant.parse(fault.get("raisedAt").asText())).isEqualTo(warning.warnedAt());
        assertThat(fault.get("status").asText()).isEqualTo("OPEN");
        assertThat(fault.get("acknowledgedAt").isNull()).isTrue();
        assertThat(fault.get("clearedAt").isNull()).isTrue();

        // auditors read faults and the outbox; users do neither
        String auditorName = unique("auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        assertThat(faultsOf(auditor, owner).at("/items/0/id").asText()).isEqualTo(fault.get("id").asText());
        assertThat(api.get("/api/faults/" + fault.get("id").asText(), auditor).json().get("tokenName").asText())
                .isEqualTo("ci-deploy");
        String user = api.login(owner.username(), Api.PASSWORD);
        assertThat(api.get("/api/faults", user).status()).isEqualTo(403);
        assertThat(api.get("/api/notifications", user).status()).isEqualTo(403);

        List<String> addresses = List.of(opsA, opsB, owner.email());
        await().atMost(WAIT).until(() -> addresses.stream().allMatch(a -> mailTo(a).size() == 1));
        String subject = "API token \"ci-deploy\" of " + owner.username() + " expires in 7 days";
        String expiry = owner.expiresAt().toString().substring(0, 10) + " 00:00 UTC";
        for (String address : addresses) {
            MimeMessage message = mailTo(address).get(0);
            assertThat(message.getSubject()).isEqualTo(subject);
            assertThat(message.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
            assertThat(message.getFrom()[0].toString()).contains("tokenledger@localhost");
            String body = text(message);
            assertThat(body).contains("ci-deploy", owner.username(), owner.hint(), expiry, "7 days", console.consoleUrl());
            assertThat(body.replace(console.consoleUrl(), "")).doesNotContainIgnoringCase("http");
            assertThat(subject).doesNotContainIgnoringCase("http");
        }

        JsonNode outbox = await().atMost(WAIT).until(() -> notificationsOf(admin, owner),
                n -> items(n).stream().allMatch(i -> i.get("status").asText().equals("SENT")));
        assertThat(outbox.get("total").asLong()).isEqualTo(3);
        assertThat(items(outbox)).extracting(i -> i.get("recipient").asText().toLowerCase())
                .containsExactlyInAnyOrder(opsA.toLowerCase(), opsB.toLowerCase(), owner.email().toLowerCase());
        for (JsonNode item : items(outbox)) {
            assertThat(item.get("subject").asText()).isEqualTo(subject);
            assertThat(item.get("daysBefore").asInt()).isEqualTo(7);
            assertThat(item.get("attempts").asInt()).isEqualTo(1);
            assertThat(item.get("sentAt").isNull()).isFalse();
            // the Message-ID names the outbox row, so a copy sent twice after a crash is recognisable
            assertThat(mailTo(item.get("recipient").asText()).get(0).getMessageID())
                    .isEqualTo("<" + item.get("id").asText() + "@tokenledger>");
        }
        JsonNode second = api.get("/api/notifications?tokenId=" + owner.tokenId()
                + "&sort=recipient,asc&size=2&page=1", auditor).json();
        assertThat(second.get("total").asLong()).isEqualTo(3);
        assertThat(second.get("page").asInt()).isEqualTo(1);
        assertThat(second.get("size").asInt()).isEqualTo(2);
        assertThat(items(second)).extracting(i -> i.get("recipient").asText())
                .containsExactly(items(outbox).get(2).get("recipient").asText());
        assertThat(api.get("/api/notifications?recipient=" + owner.email().toUpperCase(), admin).json()
                .get("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/notifications?tokenId=" + owner.tokenId() + "&status=PENDING", admin).json()
                .get("total").asLong()).isZero();

        // the same warning again, then one for another token: once that shows, the repeat has been handled too
        events.publish(warning);
        Owner sentinel = token(admin, owner, "sentinel");
        events.publish(warning(sentinel, 7));
        awaitFault(admin, sentinel);
        await().atMost(WAIT).until(() -> addresses.stream().allMatch(a -> mailTo(a).size() == 2));
        Thread.sleep(2_000); // the sender polls every 200 ms: give a second copy every chance to go out
        assertThat(faultsOf(admin, owner).get("total").asLong()).isEqualTo(1);
        assertThat(notificationsOf(admin, owner).get("total").asLong()).isEqualTo(3);
        for (String address : addresses) {
            assertThat(mailTo(address)).extracting(MimeMessage::getSubject).containsExactlyInAnyOrder(subject,
                    "API token \"sentinel\" of " + owner.username() + " expires in 7 days");
        }
    }

    @Test
    void anAdminAcknowledgesAFaultAndRevokingOrRotatingTheTokenClearsIt() {
        String admin = adminToken();
        String adminId = api.get("/api/me", admin).json().get("id").asText();
        Owner owner = ownerWithToken(admin, "deploy");
        Owner rotated = token(admin, owner, "nightly");
        configureRecipients(admin, opsAddress());
        events.publish(warning(owner, 7));
        events.publish(warning(rotated, 7));
        String faultId = awaitFault(admin, owner).get("id").asText();
        String rotatedFaultId = awaitFault(admin, rotated).get("id").asText();

        String auditorName = unique("auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        Api.Response byAuditor = api.post("/api/faults/" + faultId + "/acknowledge", api.login(auditorName,
                Api.PASSWORD), null);
        assertThat(byAuditor.status()).isEqualTo(403);
        assertThat(byAuditor.contentType()).startsWith("application/problem+json");

        Api.Response acknowledged = api.post("/api/faults/" + faultId + "/acknowledge", admin, null);
        assertThat(acknowledged.status()).isEqualTo(200);
        assertThat(acknowledged.json().get("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(acknowledged.json().get("acknowledgedBy").asText()).isEqualTo(adminId);
        String acknowledgedAt = acknowledged.json().get("acknowledgedAt").asText();
        assertThat(Instant.parse(acknowledgedAt)).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        Api.Response again = api.post("/api/faults/" + faultId + "/acknowledge", admin, null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("acknowledgedAt").asText()).isEqualTo(acknowledgedAt);
        assertThat(api.get("/api/faults?status=ACKNOWLEDGED&tokenId=" + owner.tokenId(), admin).json()
                .get("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/faults?status=OPEN&tokenId=" + owner.tokenId(), admin).json()
                .get("total").asLong()).isZero();

        Api.Response unknown = api.post("/api/faults/00000000-0000-0000-0000-000000000000/acknowledge", admin, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/faults/00000000-0000-0000-0000-000000000000", admin).status()).isEqualTo(404);

        assertThat(api.post("/api/tokens/" + owner.tokenId() + "/revoke", admin, Map.of("reason", "replaced"))
                .status()).isEqualTo(200);
        assertThat(api.post("/api/tokens/" + rotated.tokenId() + "/rotate", admin, null).status()).isEqualTo(201);
        JsonNode cleared = await().atMost(WAIT).until(() -> faultsOf(admin, owner).at("/items/0"),
                f -> f.get("status").asText().equals("CLEARED"));
        assertThat(cleared.get("clearedAt").isNull()).isFalse();
        assertThat(cleared.get("acknowledgedBy").asText()).isEqualTo(adminId);
        await().atMost(WAIT).until(() -> faultsOf(admin, rotated).at("/items/0/status").asText(), "CLEARED"::equals);

        Api.Response late = api.post("/api/faults/" + faultId + "/acknowledge", admin, null);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.contentType()).startsWith("application/problem+json");
        assertThat(api.post("/api/faults/" + rotatedFaultId + "/acknowledge", admin, null).status()).isEqualTo(409);
    }

    /** An expired token's fault stayed open for ever, asking for an action that can no longer help. */
    @Test
    void anExpiredTokensOpenFaultIsCleared() {
        String admin = adminToken();
        Owner owner = ownerWithToken(admin, "expiring");
        configureRecipients(admin, opsAddress());
        events.publish(warning(owner, 7));
        assertThat(awaitFault(admin, owner).get("status").asText()).isEqualTo("OPEN");

        Instant expiredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        events.publish(new TokenExpired(TokenId.of(owner.tokenId()), UserId.of(owner.id()),
                new TokenHash("0".repeat(64)), expiredAt));
        JsonNode cleared = await().atMost(WAIT).until(() -> faultsOf(admin, owner).at("/items/0"),
                f -> f.get("status").asText().equals("CLEARED"));
        assertThat(Instant.parse(cleared.get("clearedAt").asText())).isEqualTo(expiredAt);
        String faultId = cleared.get("id").asText();
        Api.Response late = api.post("/api/faults/" + faultId + "/acknowledge", admin, null);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("detail").asText()).contains("expired");
    }

    @Test
    void mailsWaitOutAnSmtpOutageAndAreDeliveredOnce() throws Exception {
        String admin = adminToken();
        Owner owner = ownerWithToken(admin, "batch-import");
        String ops = opsAddress();
        configureRecipients(admin, ops);
        GreenMail smtp = EmbeddedSmtpStarter.running();
        boolean stopped = false;
        try {
            smtp.stop();
            stopped = true;
            events.publish(warning(owner, 1));

            JsonNode failing = await().atMost(WAIT).until(() -> notificationsOf(admin, owner),
                    n -> n.get("total").asLong() == 2 && items(n).stream().allMatch(i -> i.get("attempts").asInt() >= 1
                            && !i.get("lastError").isNull()));
            for (JsonNode item : items(failing)) {
                assertThat(item.get("status").asText()).isEqualTo("PENDING");
                assertThat(item.get("lastError").asText()).containsIgnoringCase("connect").doesNotContain("\n");
                assertThat(item.get("sentAt").isNull()).isTrue();
            }
            assertThat(api.get("/api/notifications?status=PENDING&recipient=" + ops, admin).json().get("total")
                    .asLong()).isEqualTo(1);

            smtp.start();
            stopped = false;
            JsonNode sent = await().atMost(WAIT).until(() -> notificationsOf(admin, owner),
                    n -> items(n).stream().allMatch(i -> i.get("status").asText().equals("SENT")));
            assertThat(items(sent)).allSatisfy(i -> assertThat(i.get("attempts").asInt()).isGreaterThan(1));
            Thread.sleep(2_000); // the sender polls every 200 ms: give a second copy every chance to go out
            for (String address : List.of(ops, owner.email())) {
                assertThat(mailTo(address)).hasSize(1);
                assertThat(mailTo(address).get(0).getSubject())
                        .isEqualTo("API token \"batch-import\" of " + owner.username() + " expires in 1 day");
            }
        } finally {
            if (stopped) {
                smtp.start(); // every other test shares this SMTP peer
            }
        }
    }

    @Test
    void listParametersAreChecked() {
        String admin = adminToken();
        for (String query : List.of("status=BOGUS", "tokenId=not-a-uuid", "page=-1", "size=0", "size=201",
                "sort=body,asc", "sort=createdAt,sideways")) {
            Api.Response response = api.get("/api/notifications?" + query, admin);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.contentType()).as(query).startsWith("application/problem+json");
        }
        assertThat(api.get("/api/notifications?size=0", admin).json().at("/errors/0/field").asText()).isEqualTo("size");
        for (String query : List.of("status=BOGUS", "page=-1", "size=201", "sort=hash")) {
            assertThat(api.get("/api/faults?" + query, admin).status()).as(query).isEqualTo(400);
        }
        JsonNode page = api.get("/api/faults?status=OPEN&size=1&sort=expiresAt,asc", admin).json();
        assertThat(page.get("size").asInt()).isEqualTo(1);
        assertThat(page.get("items").size()).isLessThanOrEqualTo(1);
    }
}
