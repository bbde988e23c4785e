package io.tokenledger.app.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.app.Instances;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit log streamed to a real rsyslog: every stored event arrives as an RFC 5424 message (parsed here from the
 * RFC's grammar) with structured data and the audit record as JSON, each aggregate's in order, and none is lost when rsyslog is
 * stopped in the middle of a burst and started again. On an instance and a database of its own, as it forwards
 * everything it stores.
 */
class SyslogForwardingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** HEADER of RFC 5424 6.2: PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP. */
    private static final Pattern HEADER = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) ");

    /** A message as RFC 5424 has it. */
    record Message(int facility, int severity, Instant timestamp, String hostname, String appName, String msgId,
                   Map<String, Map<String, String>> structuredData, String msg) {
    }

    @Test
    void everyAuditRecordArrivesAsRfc5424InOrderAndNoneIsLostAcrossAnRsyslogRestart() throws Exception {
        if (!Files.isExecutable(Rsyslog.RSYSLOGD)) {
            String missing = "the syslog test needs Debian's package 'rsyslog' (apt-get install -y rsyslog)";
            if (Boolean.parseBoolean(System.getenv("TOKENLEDGER_SYSLOG_TESTS_REQUIRED"))) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        Path dir = Files.createTempDirectory(Path.of("target"), "syslog-");
        Path dataDir = dir.resolve("data");
        try (Rsyslog rsyslog = new Rsyslog(dir.resolve("rsyslog")).start();
             ConfigurableApplicationContext app = Instances.start("--tokenledger.data-dir=" + dataDir,
                     "--tokenledger.syslog.enabled=true", "--tokenledger.syslog.host=127.0.0.1",
                     "--tokenledger.syslog.port=" + rsyslog.port(), "--tokenledger.syslog.tls=false",
                     "--tokenledger.syslog.hostname=ledger-test")) {
            Api api = Instances.api(app);
            String admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
            for (int i = 0; i < 60; i++) {
                if (i == 20) {
                    rsyslog.stop();
                }
                if (i == 40) {
                    rsyslog.start();
                }
                String username = "syslog-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
                String userId = api.createUser(admin, username, "USER", Api.PASSWORD);
                String tokenId = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "burst-" + i))
                        .json().get("id").asText();
                if (i % 10 == 5) {
                    api.post("/api/tokens/" + tokenId + "/revoke", admin, Map.of("reason", "burst \"" + i + "\"]"));
                    // a failed login of this burst's user: the admin's failures from this address would lock the
                    // admin out of every other test's logins for the throttle's window (the database is shared)
                    api.call("POST", "/api/auth/login", Api.json(Map.of("username", username, "password", "wrong")),
                            Map.of());
                }
                Thread.sleep(50);
            }

            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            // the security events of the last interval are stored at its end
            Thread.sleep(2_500);
            List<String> stored = jdbc.queryForList(
                    "SELECT event_identifier FROM domain_event_entry ORDER BY global_index", String.class);
            assertThat(stored).hasSizeGreaterThan(120);
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(eventIds(rsyslog.received())).containsAll(stored));

            List<String> lines = rsyslog.received();
            List<Message> messages = new ArrayList<>();
            for (String line : lines) {
                messages.add(parse(line));
            }
            Set<String> firstSeen = new LinkedHashSet<>();
            Map<String, Long> lastSequence = new LinkedHashMap<>();
            boolean securityEventSeen = false;
            for (Message m : messages) {
                assertThat(m.hostname()).isEqualTo("ledger-test");
                assertThat(m.appName()).isEqualTo("tokenledger");
                assertThat(m.facility()).isEqualTo(13);
                Map<String, String> sd = m.structuredData().get("tokenledger@32473");
                assertThat(sd).containsKeys("eventId", "type", "globalIndex");
                JsonNode record = JSON.readTree(m.msg());
                assertThat(record.get("type").asText()).isEqualTo(sd.get("type")).isEqualTo(m.msgId());
                assertThat(record.get("globalIndex").asLong()).isEqualTo(Long.parseLong(sd.get("globalIndex")));
                assertThat(Instant.parse(record.get("timestamp").asText())).isEqualTo(m.timestamp());
                assertThat(m.msg()).doesNotContain("passwordHash").doesNotContain("$argon2");
                if (m.msgId().equals("LoginFailed")) {
                    securityEventSeen = true;
                    assertThat(m.severity()).isEqualTo(4);
                }
                if (m.msgId().equals("TokenRevoked")) {
                    assertThat(record.at("/payload/reason").asText()).startsWith("burst \"");
                    assertThat(sd.get("actor")).isEqualTo("admin");
                }
                if (firstSeen.add(sd.get("eventId")) && record.hasNonNull("sequence")) {
                    Long before = lastSequence.put(record.get("aggregateId").asText(), record.get("sequence").asLong());
                    assertThat(before == null ? -1 : before).as("each aggregate's events in order")
                            .isLessThan(record.get("sequence").asLong());
                }
            }
            assertThat(securityEventSeen).as("a failed login forwarded as a security event").isTrue();
            // across aggregates, in the order the store hands them out: two transactions committing at once may
            // come in either order, whatever their global indexes
            assertThat(firstSeen).as("each stored event, first seen once").containsExactlyInAnyOrderElementsOf(stored);
            assertThat(lines.size()).as("at least once: resent ones may repeat").isGreaterThanOrEqualTo(stored.size());
        } finally {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }

    @Test
    void overTlsTheServersCertificateAndNameAreVerifiedAndEveryRecordArrives() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "syslog-tls-");
        Path dataDir = dir.resolve("data");
        try (TlsSyslogServer server = new TlsSyslogServer(dir.resolve("tls"));
             ConfigurableApplicationContext app = Instances.start("--tokenledger.data-dir=" + dataDir,
                     "--tokenledger.syslog.enabled=true", "--tokenledger.syslog.host=localhost",
                     "--tokenledger.syslog.port=" + server.port(), "--tokenledger.syslog.tls=true",
                     "--tokenledger.syslog.trust-store=" + server.trustStore().toAbsolutePath(),
                     "--tokenledger.syslog.trust-store-password=" + server.trustStorePassword())) {
            Api api = Instances.api(app);
            String admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
            String userId = api.createUser(admin, "syslog-tls", "USER", Api.PASSWORD);
            api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "over-tls"));
            List<String> stored = app.getBean(JdbcTemplate.class).queryForList(
                    "SELECT event_identifier FROM domain_event_entry ORDER BY global_index", String.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(eventIds(server.messages())).containsAll(stored));
            for (String message : server.messages()) {
                assertThat(parse(message).structuredData()).containsKey("tokenledger@32473");
            }
        } finally {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }

    private static Set<String> eventIds(List<String> lines) {
        Set<String> ids = new LinkedHashSet<>();
        Pattern id = Pattern.compile("eventId=\"([^\"]+)\"");
        for (String line : lines) {
            Matcher m = id.matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    /** Parses a SYSLOG-MSG of RFC 5424 (section 6): HEADER, STRUCTURED-DATA, MSG. */
    static Message parse(String line) {
        Matcher header = HEADER.matcher(line);
        if (!header.lookingAt()) {
            throw new AssertionError("not an RFC 5424 header: " + line);
        }
        int pri = Integer.parseInt(header.group(1));
        assertThat(pri).isLessThanOrEqualTo(191);
        Instant timestamp = Instant.parse(header.group(2));
        int at = header.end();
        Map<String, Map<String, String>> sd = new LinkedHashMap<>();
        if (line.charAt(at) == '-') {
            at++;
        } else {
            while (at < line.length() && line.charAt(at) == '[') {
                int idEnd = indexOfAny(line, at + 1, " ]");
                String sdId = line.substring(at + 1, idEnd);
                Map<String, String> params = new LinkedHashMap<>();
                at = idEnd;
                while (line.charAt(at) == ' ') {
                    int eq = line.indexOf('=', at);
                    String name = line.substring(at + 1, eq);
                    if (line.charAt(eq + 1) != '"') {
                        throw new AssertionError("PARAM-VALUE not quoted: " + line);
                    }
                    StringBuilder value = new StringBuilder();
                    int i = eq + 2;
                    for (; line.charAt(i) != '"'; i++) {
                        char c = line.charAt(i);
                        if (c == '\\' && "\"\\]".indexOf(line.charAt(i + 1)) >= 0) {
                            c = line.charAt(++i);
                        } else if (c == ']') {
                            throw new AssertionError("unescaped ']' in PARAM-VALUE: " + line);
                        }
                        value.append(c);
                    }
                    params.put(name, value.toString());
                    at = i + 1;
                }
                if (line.charAt(at) != ']') {
                    throw new AssertionError("SD-ELEMENT not closed: " + line);
                }
                sd.put(sdId, params);
                at++;
            }
        }
        String msg = at < line.length() && line.charAt(at) == ' ' ? line.substring(at + 1) : "";
        return new Message(pri / 8, pri % 8, timestamp, header.group(3), header.group(4), header.group(6), sd, msg);
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        throw new AssertionError("unterminated SD-ID: " + s);
    }

}
