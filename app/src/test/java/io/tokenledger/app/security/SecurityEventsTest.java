package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.app.IssuedSecrets;
import io.tokenledger.app.config.TokenLedgerProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What an attacker tries and fails at leaves a trace: password guesses for a known and an unknown user (and the
 * lock-out they run into), revoked, expired and made-up tokens, calls the caller's role forbids. Each is a WARN log
 * line with the request's id and the client's address, a Prometheus counter, and, for a known user or token, an
 * entry of the audit log an auditor reads — a handful of entries with counts for a flood, never a secret. Each test
 * calls from a loopback address of its own (127.x.y.z), so its failed logins count against nobody else.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityEventsTest extends IntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern COUNTER = Pattern.compile("(?m)^tokenledger_security_events_total\\{([^}]*)} (\\S+)$");

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TokenLedgerProperties properties;

    /** A client of the shared instance, calling from a loopback address no other test uses. */
    private final class Client {
        private final String address;

        Client(String address) {
            this.address = address;
        }

        /** Sends the request from the client's address; the answer's status and, when it has one, JSON body. */
        Answer call(String method, String path, String body, Map<String, String> headers) {
            List<byte[]> lines = new java.util.ArrayList<>();
            headers.forEach((name, value) -> lines.add(RawHttp.line(name, value)));
            if (body != null) {
                lines.add(RawHttp.line("Content-Type", "application/json"));
            }
            RawHttp.Response response = RawHttp.send(address, port, method, path, lines,
                    body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
            IssuedSecrets.recordIn(response.body());
            return new Answer(response.status(), response.body());
        }
    }

    private record Answer(int status, String body) {
        JsonNode json() throws Exception {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        }
    }

    private Client client(String address) {
        return new Client(address);
    }

    private static String address() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "127." + r.nextInt(100, 200) + "." + r.nextInt(0, 256) + "." + r.nextInt(1, 255);
    }

    /** Sum of the security-event counters of this type (and reason, unless null) in a scrape; 0 when absent. */
    private static double counted(String scrape, String type, String reason) {
        double sum = 0;
        Matcher m = COUNTER.matcher(scrape);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("type=\"" + type + "\"")
                    && (reason == null || labels.contains("reason=\"" + reason + "\""))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private String scrape(String admin) {
        Api.Response scrape = api.get("/actuator/prometheus", admin);
        assertThat(scrape.status()).isEqualTo(200);
        return scrape.raw();
    }

    private List<JsonNode> audited(String auditor, String query) {
        Api.Response response = api.get("/api/audit/events?size=200&" + query, auditor);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return StreamSupport.stream(response.json().get("items").spliterator(), false).toList();
    }

    private static long attempts(List<JsonNode> entries) {
        return entries.stream().mapToLong(e -> e.at("/payload/attempts").asLong()).sum();
    }

    /** Log lines at WARN holding every one of these texts. */
    private static List<String> warnings(CapturedOutput output, String... texts) {
        return output.getAll().lines().filter(line -> line.contains(" WARN "))
                .filter(line -> List.of(texts).stream().allMatch(line::contains)).toList();
    }

    private static Map<String, String> headers(String token, String userAgent, String requestId) {
        Map<String, String> headers = new HashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        headers.put("User-Agent", userAgent);
        headers.put("X-Request-Id", requestId);
        return headers;
    }

    private static String login(String username, String password) {
        return Api.json(Map.of("username", username, "password", password));
    }

    @Test
    void aFloodOfPasswordGuessesForAKnownAndAnUnknownUserIsLoggedCountedAndAuditedAsAHandfulOfEntries(
            CapturedOutput output) {
        String admin = adminToken();
        String victim = unique("victim");
        String victimId = api.createUser(admin, victim, "USER", Api.PASSWORD);
        String auditorName = unique("auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        // what a user might type into the username field by mistake: their password
        String unknown = "Tr0ub4dor&3-" + unique("pw");
        String from = address();
        Client attacker = client(from);
        String before = scrape(admin);

        Instant start = Instant.now();
        Map<Integer, Integer> statuses = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            Answer r = attacker.call("POST", "/api/auth/login", login(victim, "pw-guess-" + i),
                    headers(null, "guesser/1.0", "guess-" + victim + "-" + i));
            statuses.merge(r.status(), 1, Integer::sum);
        }
        Duration flood = Duration.between(start, Instant.now());
        for (int i = 0; i < 30; i++) {
            Answer r = attacker.call("POST", "/api/auth/login", login(unknown, "pw-guess-" + i),
                    headers(null, "guesser/1.0", "unknown-" + i));
            assertThat(r.status()).isIn(401, 429);
        }
        int failed = statuses.getOrDefault(401, 0);
        int refused = statuses.getOrDefault(429, 0);
        assertThat(failed + refused).as("every guess answered 401 or 429: %s", statuses).isEqualTo(200);
        assertThat(failed).as("guesses checked before the lock-out").isBetween(1, 20);

        // audit: a handful of entries with counts, for the known user only, read by an auditor
        List<JsonNode> failures = await().atMost(WAIT).until(
                () -> audited(auditor, "type=LoginFailed&userId=" + victimId),
                entries -> attempts(entries) == failed);
        List<JsonNode> lockOuts = await().atMost(WAIT).until(
                () -> audited(auditor, "type=LoginLockedOut&userId=" + victimId),
                entries -> attempts(entries) == refused);
        // at most one entry per kind of event and reason per interval, however many attempts came in it
        long intervals = flood.toMillis() / properties.securityEvents().interval().toMillis() + 2;
        assertThat(failures.size() + lockOuts.size()).as("entries for 200 guesses in %s", flood)
                .isLessThanOrEqualTo((int) (3 * intervals)).isLessThan(200);
        for (JsonNode entry : concat(failures, lockOuts)) {
            assertThat(entry.at("/payload/userId").asText()).isEqualTo(victimId);
            assertThat(entry.at("/payload/username").asText()).isEqualTo(victim);
            assertThat(entry.at("/payload/attempts").asLong()).isPositive();
            assertThat(entry.at("/payload/firstAt").asText()).isNotBlank();
            assertThat(entry.at("/payload/lastRequestId").asText()).startsWith("guess-" + victim + "-");
            assertThat(entry.get("clientIp").asText()).isEqualTo(from);
            assertThat(entry.get("userAgent").asText()).isEqualTo("guesser/1.0");
            assertThat(entry.at("/actor/id").asText()).as("the guesser is not the user").isEqualTo("anonymous");
            assertThat(entry.toString()).doesNotContain("pw-guess-");
        }
        System.out.printf("200 guesses in %d ms (%d answered 401, %d 429): %d LoginFailed and %d LoginLockedOut "
                + "entries%n", flood.toMillis(), failed, refused, failures.size(), lockOuts.size());
        assertThat(failures).allMatch(e -> e.at("/payload/reason").asText().equals("wrong_password"));
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE ?""",
                Long.class, "%" + unknown + "%")).as("no event names the unknown user").isZero();

        // logs: a WARN line per attempt, with its request id and the client's address; the unknown name never
        assertThat(warnings(output, "LoginFailed", "wrong_password", victim, "client=" + from + " ")).hasSize(failed);
        assertThat(warnings(output, "LoginLockedOut", victim, "client=" + from + " ")).hasSize(refused);
        assertThat(warnings(output, "LoginFailed", "requestId=guess-" + victim + "-0 ")).hasSize(1);
        assertThat(warnings(output, "unknown_user", "client=" + from + " ")).hasSizeGreaterThanOrEqualTo(1);
        assertThat(warnings(output, "client=" + from + " ").stream().filter(l -> l.contains("requestId=unknown-")))
                .hasSize(30);
        assertThat(output.getAll()).doesNotContain(unknown);

        // counters
        String after = scrape(admin);
        assertThat(counted(after, "LoginFailed", "wrong_password") - counted(before, "LoginFailed", "wrong_password"))
                .isGreaterThanOrEqualTo(failed);
        assertThat(counted(after, "LoginLockedOut", null) - counted(before, "LoginLockedOut", null))
                .isGreaterThanOrEqualTo(refused + 1);
        assertThat(counted(after, "LoginFailed", "unknown_user") - counted(before, "LoginFailed", "unknown_user"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void revokedExpiredAndMadeUpTokensAreLoggedCountedAndAuditedByHintNeverByPlaintext(CapturedOutput output)
            throws Exception {
        String admin = adminToken();
        String ownerName = unique("owner");
        String ownerId = api.createUser(admin, ownerName, "USER", Api.PASSWORD);
        String auditorName = unique("auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        JsonNode revoked = api.post("/api/users/" + ownerId + "/tokens", admin, Map.of("name", "leaked")).json();
        JsonNode expiring = api.post("/api/users/" + ownerId + "/tokens", admin,
                Map.of("name", "short-lived", "expiresAt", Instant.now().plusSeconds(3).toString())).json();
        assertThat(api.post("/api/tokens/" + revoked.get("id").asText() + "/revoke", admin,
                Map.of("reason", "leaked")).status()).isEqualTo(200);
        String madeUp = TokenSecret.generate(TokenKind.PERMANENT).reveal();
        IssuedSecrets.recordIn(madeUp);
        await().atMost(WAIT).until(() -> Instant.now().isAfter(
                Instant.parse(expiring.get("expiresAt").asText()).plusMillis(200)));
        String from = address();
        Client attacker = client(from);
        String before = scrape(admin);

        Map<String, String> tokens = Map.of("revoked", revoked.get("token").asText(),
                "expired", expiring.get("token").asText(), "unknown", madeUp);
        Map<String, Integer> times = Map.of("revoked", 40, "expired", 5, "unknown", 5);
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            for (int i = 0; i < times.get(token.getKey()); i++) {
                Answer r = attacker.call("GET", "/api/me", null,
                        headers(token.getValue(), "replayer/2.0", token.getKey() + "-" + ownerName + "-" + i));
                assertThat(r.status()).isEqualTo(401);
            }
        }

        for (String reason : List.of("revoked", "expired")) {
            JsonNode token = reason.equals("revoked") ? revoked : expiring;
            List<JsonNode> entries = await().atMost(WAIT).until(
                    () -> audited(auditor, "type=TokenRefused&tokenId=" + token.get("id").asText()),
                    e -> attempts(e) == times.get(reason));
            assertThat(entries.size()).as(reason).isBetween(1, 5);
            for (JsonNode entry : entries) {
                assertThat(entry.at("/payload/reason").asText()).isEqualTo(reason);
                assertThat(entry.at("/payload/hint").asText()).isEqualTo(token.get("hint").asText());
                assertThat(entry.at("/payload/userId").asText()).isEqualTo(ownerId);
                assertThat(entry.get("clientIp").asText()).isEqualTo(from);
                assertThat(entry.get("userAgent").asText()).isEqualTo("replayer/2.0");
                assertThat(entry.toString()).doesNotContain(token.get("token").asText(),
                        token.get("token").asText().substring(4, 36));
            }
            assertThat(audited(auditor, "type=TokenRefused&userId=" + ownerId))
                    .anyMatch(e -> e.at("/payload/tokenId").asText().equals(token.get("id").asText()));
            assertThat(warnings(output, "TokenRefused", "reason=" + reason, token.get("hint").asText(),
                    "client=" + from + " ")).hasSize(times.get(reason));
            assertThat(warnings(output, "TokenRefused", "requestId=" + reason + "-" + ownerName + "-0 ")).hasSize(1);
        }
        String hashPrefix = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(madeUp.getBytes(StandardCharsets.US_ASCII))).substring(0, 12);
        assertThat(warnings(output, "TokenRefused", "reason=unknown", hashPrefix, "client=" + from + " ")).hasSize(5);
        for (String plaintext : tokens.values()) {
            assertThat(output.getAll()).doesNotContain(plaintext).doesNotContain(plaintext.substring(4, 36));
        }

        String after = scrape(admin);
        for (String reason : tokens.keySet()) {
            assertThat(counted(after, "TokenRefused", reason) - counted(before, "TokenRefused", reason)).as(reason)
                    .isGreaterThanOrEqualTo(times.get(reason));
        }
    }

    @Test
    void callsTheCallersRoleForbidsAreLoggedCountedAndAuditedWithWhoAndWhat(CapturedOutput output) {
        String admin = adminToken();
        String userName = unique("nosy");
        String userId = api.createUser(admin, userName, "USER", Api.PASSWORD);
        String user = api.login(userName, Api.PASSWORD);
        String auditorName = unique("auditor");
        String auditorId = api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        String tokenId = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "ci")).json()
                .get("id").asText();
        String from = address();
        Client caller = client(from);
        String before = scrape(admin);

        for (int i = 0; i < 3; i++) {
            assertThat(caller.call("GET", "/api/audit/events", null, headers(user, "nosy/1.0", "nosy-" + userName
                    + "-" + i)).status()).isEqualTo(403);
        }
        assertThat(caller.call("POST", "/api/users", "{}", headers(user, "nosy/1.0", "nosy-" + userName + "-post"))
                .status()).isEqualTo(403);
        // refused by the token's own rule (an auditor reads every token, but revokes none)
        assertThat(caller.call("POST", "/api/tokens/" + tokenId + "/revoke", "{}",
                headers(auditor, "nosy/1.0", "revoke-" + auditorName)).status()).isEqualTo(403);

        List<JsonNode> entries = await().atMost(WAIT).until(
                () -> audited(auditor, "type=AccessDenied&actorId=" + userId),
                e -> attempts(e) == 4);
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.at("/actor/username").asText()).isEqualTo(userName);
            assertThat(entry.at("/actor/role").asText()).isEqualTo("USER");
            assertThat(entry.at("/payload/userId").asText()).isEqualTo(userId);
            assertThat(entry.get("clientIp").asText()).isEqualTo(from);
            assertThat(entry.get("userAgent").asText()).isEqualTo("nosy/1.0");
        });
        assertThat(entries).anyMatch(e -> e.at("/payload/method").asText().equals("GET")
                && e.at("/payload/path").asText().equals("/api/audit/events") && e.at("/payload/attempts").asLong() == 3);
        assertThat(entries).anyMatch(e -> e.at("/payload/method").asText().equals("POST")
                && e.at("/payload/path").asText().equals("/api/users"));
        List<JsonNode> byAuditor = await().atMost(WAIT).until(
                () -> audited(auditor, "type=AccessDenied&actorId=" + auditorId), e -> attempts(e) == 1);
        assertThat(byAuditor.get(0).at("/payload/path").asText()).isEqualTo("/api/tokens/" + tokenId + "/revoke");

        assertThat(warnings(output, "AccessDenied", userName, "GET /api/audit/events", "client=" + from + " ")).hasSize(3);
        assertThat(warnings(output, "AccessDenied", "requestId=nosy-" + userName + "-post ", "POST /api/users"))
                .hasSize(1);
        assertThat(warnings(output, "AccessDenied", auditorName, "requestId=revoke-" + auditorName + " ")).hasSize(1);
        String after = scrape(admin);
        assertThat(counted(after, "AccessDenied", null) - counted(before, "AccessDenied", null))
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void aLoginIsAuditedWithTheClientsAddressUserAgentAndRequestId() throws Exception {
        String admin = adminToken();
        String name = unique("walker");
        String userId = api.createUser(admin, name, "USER", Api.PASSWORD);
        String from = address();
        Answer login = client(from).call("POST", "/api/auth/login", login(name, Api.PASSWORD),
                headers(null, "browser/9.1", "login-" + name));
        assertThat(login.status()).isEqualTo(200);
        String tokenId = login.json().get("tokenId").asText();

        List<JsonNode> issued = audited(admin, "type=TemporaryTokenIssued&tokenId=" + tokenId);
        assertThat(issued).hasSize(1);
        JsonNode entry = issued.get(0);
        assertThat(entry.at("/actor/id").asText()).isEqualTo(userId);
        assertThat(entry.get("clientIp").asText()).isEqualTo(from);
        assertThat(entry.get("userAgent").asText()).isEqualTo("browser/9.1");
        assertThat(entry.get("requestId").asText()).isEqualTo("login-" + name);
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
