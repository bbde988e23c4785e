package io.tokenledger.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.tokenledger.app.Api;
import io.tokenledger.app.syslog.SyslogReceiver;
import io.tokenledger.app.webhook.Receiver;
import io.tokenledger.app.webhook.StandardWebhooksVerifier;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packaged application killed with SIGKILL, twice, while clients stream commands at it, and started again on
 * the same data directory each time; then an oracle that reads the event store, every read model, the outbox and
 * what the SMTP server received, and finds nothing lost and nothing done twice:
 * <ul>
 * <li>every command answered 2xx has its events in the store; every aggregate's sequence numbers run 0..n;</li>
 * <li>token inventory, credentials, users, the audit log and its hash chain agree with the events, and every
 *     processor has caught up with the store;</li>
 * <li>expiries due while the application was down fired after the restart, once; each expiry warning was raised
 *     once, with one fault and one e-mail per address, whichever start of the application raised it;</li>
 * <li>no e-mail arrived twice, except one the sender handed to the SMTP server right before a kill and could not
 *     record as sent: counted and reported as a duplicate (the same Message-ID on both sides of the kill);</li>
 * <li>every event the webhook catalogue announces, stored after the endpoint was registered, reached the receiver at
 *     least once, each request signed as the Standard Webhooks specification has it, and nothing else did;</li>
 * <li>every stored event reached the syslog receiver at least once, each aggregate's events in order, and nothing
 *     else did; what arrived more than once is counted.</li>
 * </ul>
 * The figures go to {@code target/reliability/kill-under-load.json}.
 */
class KillDuringLoadIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String ADMIN_PASSWORD = "kill-admin-" + UUID.randomUUID();
    private static final String OPS = "ops@kill.example.com";
    private static final String DAYS = "/api/settings/app-config/Enable%20User%20Token%20Expiration%20Notifications";
    private static final String EMAILS = "/api/settings/app-config/User%20Token%20Expiration%20Notification%20Emails";
    private static final int CLIENTS = 3;
    private static final int KILLS = 2;
    /** How long the clients run before each kill, and after the last restart. */
    private static final Duration BEFORE_KILL = Duration.ofSeconds(15);
    private static final Duration AFTER_LAST_RESTART = Duration.ofSeconds(10);
    private static final Duration FIRST_START = Duration.ofMinutes(3);
    private static final Duration RESTART = Duration.ofMinutes(2);
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);
    private static final Path FIGURES = Figures.file("kill-under-load");

    /** One kill: when the process died, and when the next start answered again. */
    private record Kill(Instant killedAt, Instant restartedAt, Instant readyAt) {
        Duration downtime() {
            return Duration.between(killedAt, readyAt);
        }

        Duration restart() {
            return Duration.between(restartedAt, readyAt);
        }

        boolean wasDownAt(Instant at) {
            return !at.isBefore(killedAt) && at.isBefore(readyAt);
        }
    }

    /** One stored event, its payload parsed; {@code aggregateType} is null for an event of no aggregate. */
    private record Event(long globalIndex, String eventId, String aggregateId, String aggregateType, long sequence,
                         String type, JsonNode payload) {
        String id(String field) {
            return payload.at("/" + field + "/value").asText(null);
        }
    }

    /** What the events say of a token. */
    private static final class TokenFacts {
        String kind;
        String ownerId;
        Instant createdAt;
        Instant expiresAt;
        String rotatedFrom;
        String replacedBy;
        int revoked;
        int expired;
        final List<Event> warnings = new ArrayList<>();

        String status() {
            return revoked > 0 ? "REVOKED" : expired > 0 ? "EXPIRED" : "ACTIVE";
        }
    }

    /** What the events say of a user. */
    private record UserFacts(String username, String email, String role) {
    }

    @Test
    void nothingAnsweredIsLostNorDoneTwiceWhenTheApplicationIsKilledUnderLoad() throws Exception {
        long began = System.nanoTime();
        GreenMail smtp = new GreenMail(new ServerSetup(AppProcess.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Receiver webhooks = new Receiver();
        SyslogReceiver syslog = new SyslogReceiver();
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kill-under-load-");
        AppProcess app = new AppProcess("kill-under-load", AppProcess.packagedJar(), dataDir, List.of(
                "--tokenledger.bootstrap-admin.password=" + ADMIN_PASSWORD,
                "--spring.mail.host=127.0.0.1", "--spring.mail.port=" + smtp.getSmtp().getPort(),
                "--tokenledger.console-url=https://console.kill.test",
                "--tokenledger.webhooks.allow-http=true", "--tokenledger.webhooks.allow-private-addresses=true",
                "--tokenledger.webhooks.connect-timeout=1s", "--tokenledger.webhooks.request-timeout=2s",
                "--tokenledger.webhooks.initial-backoff=500ms", "--tokenledger.webhooks.poll-interval=200ms",
                "--tokenledger.syslog.enabled=true", "--tokenledger.syslog.host=127.0.0.1",
                "--tokenledger.syslog.port=" + syslog.port(), "--tokenledger.syslog.tls=false"));
        CommandLoad load = null;
        try {
            Instant firstStart = Instant.now();
            app.start();
            String admin = app.awaitReady(FIRST_START, ADMIN_PASSWORD);
            Duration firstStartUp = Duration.between(firstStart, Instant.now());
            Api api = new Api(app.port());
            // A ladder of one day: every token created to expire within the day is warned at once.
            assertThat(api.put(DAYS, admin, Map.of("value", "1")).status()).isEqualTo(200);
            assertThat(api.put(EMAILS, admin, Map.of("value", OPS)).status()).isEqualTo(200);
            Api.Response endpoint = api.post("/api/webhooks", admin, Map.of("url", webhooks.url("/kill"),
                    "events", List.of("*")));
            assertThat(endpoint.status()).as(endpoint.raw()).isEqualTo(201);
            String webhookSecret = endpoint.json().get("secret").asText();

            load = new CommandLoad(app.port(), admin);
            load.start(CLIENTS, 20261124L);
            List<Kill> kills = new ArrayList<>();
            for (int k = 0; k < KILLS; k++) {
                Thread.sleep(BEFORE_KILL.toMillis());
                Instant killedAt = Instant.now();
                app.kill();
                Instant restartedAt = Instant.now();
                app.start();
                app.awaitReady(RESTART, ADMIN_PASSWORD);
                kills.add(new Kill(killedAt, restartedAt, Instant.now()));
            }
            Thread.sleep(AFTER_LAST_RESTART.toMillis());
            load.stop();
            Instant loadStopped = Instant.now();

            Map<String, Object> figures = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            try (Connection db = app.database()) {
                Instant converged = awaitConvergence(api, admin, db, load, loadStopped, problems);
                Oracle oracle = new Oracle(api, admin, db, smtp, load, kills, converged, problems);
                oracle.webhooks = webhooks;
                oracle.webhookSecret = webhookSecret;
                oracle.syslog = syslog;
                oracle.check();
                figures.put("commands", ordered("clients", CLIENTS, "sent", load.sent.get(),
                        "acknowledged", load.acknowledged.get(), "refusedWhileDown", load.refused.get(),
                        "unansweredInFlight", load.unanswered.get(), "otherStatuses", load.statuses()));
                figures.put("acknowledgedByKind", ordered("usersCreated", load.users.size(),
                        "tokensCreated", load.tokens.size() - load.rotations.size(), "rotations", load.rotations.size(),
                        "revokes", load.revokes.size(), "logins", load.logins.size()));
                figures.put("kills", kills.size());
                figures.put("firstStartSeconds", seconds(firstStartUp));
                figures.put("downtimeSeconds", kills.stream().map(k -> seconds(k.downtime())).toList());
                figures.put("restartSeconds", kills.stream().map(k -> seconds(k.restart())).toList());
                figures.put("convergeSeconds", seconds(Duration.between(loadStopped, converged)));
                figures.putAll(oracle.figures);
            }
            figures.put("serverErrors", load.serverErrors);
            figures.put("problems", problems);
            figures.put("runSeconds", seconds(Duration.ofNanos(System.nanoTime() - began)));
            Figures.write("kill-under-load", figures);

            assertThat(problems).as("what the oracle found (figures in %s)", FIGURES).isEmpty();
            assertThat(load.serverErrors).as("5xx answers other than the start's 503").isEmpty();
        } finally {
            if (load != null) {
                load.stop();
            }
            app.close();
            smtp.stop();
            webhooks.close();
            syslog.close();
        }
        assertThat(app.postgres()).as("no PostgreSQL left running").isEmpty();
    }

    /**
     * Waits until every short-lived token's expiry has passed, every processor has caught up with the store, no
     * deadline is due and no e-mail is waiting; returns that moment, or notes what never settled.
     */
    private static Instant awaitConvergence(Api api, String admin, Connection db, CommandLoad load,
                                            Instant loadStopped, List<String> problems) throws Exception {
        Instant lastExpiry = load.tokens.values().stream().map(CommandLoad.Token::expiresAt)
                .filter(at -> at.isBefore(loadStopped.plus(CommandLoad.SHORT_MAX).plusSeconds(1)))
                .max(Instant::compareTo).orElse(loadStopped);
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        List<String> unsettled = List.of();
        while (System.nanoTime() < deadline) {
            unsettled = new ArrayList<>();
            if (Instant.now().isBefore(lastExpiry.plusSeconds(1))) {
                unsettled.add("short-lived tokens still to expire");
            }
            Api.Response processors = api.get("/api/admin/projections", admin);
            if (processors.status() != 200) {
                unsettled.add("processors: " + processors.status());
            } else {
                for (JsonNode processor : processors.json()) {
                    if (!processor.get("lag").isNull() && processor.get("lag").asLong() != 0) {
                        unsettled.add(processor.get("name").asText() + " lags by " + processor.get("lag").asLong());
                    }
                }
            }
            // the recurring tasks (new addresses every 2 s, the daily inactivity run) are due by design
            long due = count(db, "SELECT count(*) FROM scheduled_tasks WHERE execution_time <= now() "
                    + "AND task_name NOT IN ('token-address-announcements', 'token-inactivity')");
            if (due > 0) {
                unsettled.add(due + " deadlines due");
            }
            long pending = count(db, "SELECT count(*) FROM notification WHERE status = 'PENDING'");
            if (pending > 0) {
                unsettled.add(pending + " e-mails pending");
            }
            long webhooksPending = count(db, "SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING'");
            if (webhooksPending > 0) {
                unsettled.add(webhooksPending + " webhook deliveries pending");
            }
            if (unsettled.isEmpty()) {
                return Instant.now();
            }
            Thread.sleep(250);
        }
        problems.add("not settled " + CONVERGENCE.toSeconds() + " s after the load stopped: " + unsettled + "; "
                + rows(db, "SELECT task_name, execution_time, picked, picked_by, last_heartbeat FROM scheduled_tasks "
                + "WHERE execution_time <= now() ORDER BY execution_time LIMIT 5"));
        return Instant.now();
    }

    /** Reads the store and every read model once the application has settled, and notes every disagreement. */
    private static final class Oracle {
        private final Api api;
        private final String admin;
        private final Connection db;
        private final GreenMail smtp;
        private final CommandLoad load;
        private final List<Kill> kills;
        private final Instant settledAt;
        private final List<String> problems;
        final Map<String, Object> figures = new LinkedHashMap<>();
        Receiver webhooks;
        String webhookSecret;
        SyslogReceiver syslog;

        private final List<Event> events = new ArrayList<>();
        private final Map<String, TokenFacts> tokens = new HashMap<>();
        private final Map<String, UserFacts> users = new HashMap<>();
        private final Map<String, List<Event>> byAggregate = new HashMap<>();

        Oracle(Api api, String admin, Connection db, GreenMail smtp, CommandLoad load, List<Kill> kills,
               Instant settledAt, List<String> problems) {
            this.api = api;
            this.admin = admin;
            this.db = db;
            this.smtp = smtp;
            this.load = load;
            this.kills = kills;
            this.settledAt = settledAt;
            this.problems = problems;
        }

        void check() throws Exception {
            readEvents();
            figures.put("events", events.size());
            acknowledgedCommandsHaveTheirEvents();
            sequencesAreContiguous();
            readModelsAgreeWithTheEvents();
            expiriesFiredOnce();
            warningsRaisedOnce();
            emailsSentOnce();
            webhooksDeliveredAtLeastOnce();
            syslogRecordsAtLeastOnce();
        }

        /**
         * The catalogue's events stored after the endpoint's registration (permanent tokens only), each received at
         * least once with a valid signature; the deliveries under way at a kill may arrive twice.
         */
        private void webhooksDeliveredAtLeastOnce() {
            long registered = events.stream().filter(e -> e.type().equals("WebhookEndpointRegistered"))
                    .mapToLong(Event::globalIndex).min().orElseThrow();
            Set<String> expected = new HashSet<>();
            for (Event e : events) {
                if (e.globalIndex() <= registered) {
                    continue;
                }
                TokenFacts token = tokens.get(e.aggregateId());
                boolean permanent = token != null && "PERMANENT".equals(token.kind);
                boolean announced = switch (e.type()) {
                    case "PermanentTokenCreated", "TokenExpiryApproaching", "UserDisabled" -> true;
                    case "TokenRotated", "TokenRevoked", "TokenExpired" -> permanent;
                    default -> false;
                };
                if (announced) {
                    expected.add(e.eventId());
                }
            }
            StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(webhookSecret);
            Map<String, Integer> received = new HashMap<>();
            for (Receiver.Request r : webhooks.requests()) {
                try {
                    verifier.verify(r.header("webhook-id"), r.header("webhook-timestamp"),
                            r.header("webhook-signature"), r.body(), r.at());
                } catch (AssertionError e) {
                    problem("webhook " + r.header("webhook-id") + " not verified: " + e.getMessage());
                }
                received.merge(r.header("webhook-id"), 1, Integer::sum);
            }
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(received.keySet());
            missing.forEach(id -> problem("webhook for event " + id + " never received"));
            Set<String> unexpected = new HashSet<>(received.keySet());
            unexpected.removeAll(expected);
            unexpected.forEach(id -> problem("webhook " + id + " received for no announced event"));
            figures.put("webhooksExpected", expected.size());
            figures.put("webhookRequests", webhooks.requests().size());
            figures.put("webhookDuplicates", received.values().stream().filter(n -> n > 1).count());
        }

        /** Every stored event received by the syslog receiver at least once, each aggregate's in order. */
        private void syslogRecordsAtLeastOnce() {
            java.util.regex.Pattern eventId = java.util.regex.Pattern.compile(" eventId=\"([^\"]+)\"");
            Map<String, Integer> received = new HashMap<>();
            List<String> firstSeen = new ArrayList<>();
            for (String message : syslog.messages()) {
                java.util.regex.Matcher m = eventId.matcher(message);
                if (!message.startsWith("<") || !m.find()) {
                    problem("syslog message without an event id: " + message);
                    continue;
                }
                if (received.merge(m.group(1), 1, Integer::sum) == 1) {
                    firstSeen.add(m.group(1));
                }
            }
            Map<String, Event> byId = events.stream().collect(Collectors.toMap(Event::eventId, e -> e));
            events.stream().map(Event::eventId).filter(id -> !received.containsKey(id))
                    .forEach(id -> problem("event " + id + " never reached syslog"));
            received.keySet().stream().filter(id -> !byId.containsKey(id))
                    .forEach(id -> problem("syslog received " + id + ", an event the store does not hold"));
            Map<String, Long> lastSequence = new HashMap<>();
            for (String id : firstSeen) {
                Event e = byId.get(id);
                if (e == null || e.aggregateType() == null) {
                    continue;
                }
                Long before = lastSequence.put(e.aggregateId(), e.sequence());
                if (before != null && before >= e.sequence()) {
                    problem("syslog got event " + e.sequence() + " of " + e.aggregateId() + " after " + before);
                }
            }
            figures.put("syslogMessages", syslog.messages().size());
            figures.put("syslogDuplicates", received.values().stream().filter(n -> n > 1).count());
        }

        private void problem(String what) {
            if (problems.size() < 200) {
                problems.add(what);
            }
        }

        private void readEvents() throws SQLException, IOException {
            try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery("""
                    SELECT global_index, event_identifier, aggregate_identifier, type, sequence_number, payload_type,
                           payload
                    FROM domain_event_entry ORDER BY global_index""")) {
                while (rs.next()) {
                    String type = rs.getString("payload_type");
                    events.add(new Event(rs.getLong("global_index"), rs.getString("event_identifier"),
                            rs.getString("aggregate_identifier"), rs.getString("type"), rs.getLong("sequence_number"),
                            type.substring(type.lastIndexOf('.') + 1),
                            JSON.readTree(new String(rs.getBytes("payload"), StandardCharsets.UTF_8))));
                }
            }
            for (Event event : events) {
                if (event.aggregateType() != null) {
                    byAggregate.computeIfAbsent(event.aggregateId(), id -> new ArrayList<>()).add(event);
                }
                JsonNode p = event.payload();
                switch (event.type()) {
                    case "UserRegistered" -> users.put(event.aggregateId(), new UserFacts(p.get("username").asText(),
                            p.get("email").asText(), p.get("role").asText()));
                    case "PermanentTokenCreated" -> {
                        TokenFacts token = token(event);
                        token.kind = "PERMANENT";
                        token.ownerId = event.id("ownerId");
                        token.createdAt = Instant.parse(p.get("createdAt").asText());
                        token.expiresAt = Instant.parse(p.get("expiresAt").asText());
                        token.rotatedFrom = event.id("rotatedFrom");
                    }
                    case "TemporaryTokenIssued" -> {
                        TokenFacts token = token(event);
                        token.kind = "TEMPORARY";
                        token.ownerId = event.id("userId");
                        token.createdAt = Instant.parse(p.get("issuedAt").asText());
                        token.expiresAt = Instant.parse(p.get("expiresAt").asText());
                    }
                    case "TokenRotated" -> token(event).replacedBy = event.id("replacedBy");
                    case "TokenRevoked" -> token(event).revoked++;
                    case "TokenExpired" -> token(event).expired++;
                    case "TokenExpiryApproaching" -> token(event).warnings.add(event);
                    default -> {
                    }
                }
            }
        }

        private TokenFacts token(Event event) {
            return tokens.computeIfAbsent(event.aggregateId(), id -> new TokenFacts());
        }

        private boolean has(String aggregateId, String type) {
            return byAggregate.getOrDefault(aggregateId, List.of()).stream().anyMatch(e -> e.type().equals(type));
        }

        private void acknowledgedCommandsHaveTheirEvents() {
            int missing = 0;
            for (Map.Entry<String, String> user : load.users.entrySet()) {
                UserFacts facts = users.get(user.getKey());
                if (facts == null || !facts.username().equals(user.getValue())) {
                    problem("user " + user.getValue() + " (" + user.getKey() + ") answered 201, no UserRegistered");
                    missing++;
                }
            }
            for (CommandLoad.Token token : load.tokens.values()) {
                TokenFacts facts = tokens.get(token.id());
                if (facts == null || !"PERMANENT".equals(facts.kind) || !token.userId().equals(facts.ownerId)
                        || !token.expiresAt().equals(facts.expiresAt)) {
                    problem("token " + token.id() + " answered 201, no matching PermanentTokenCreated");
                    missing++;
                }
            }
            for (Map.Entry<String, String> rotation : load.rotations.entrySet()) {
                TokenFacts old = tokens.get(rotation.getKey());
                TokenFacts successor = tokens.get(rotation.getValue());
                if (old == null || !rotation.getValue().equals(old.replacedBy) || old.revoked != 1
                        || successor == null || !rotation.getKey().equals(successor.rotatedFrom)) {
                    problem("rotation of " + rotation.getKey() + " into " + rotation.getValue()
                            + " answered 201, its events are not all there");
                    missing++;
                }
            }
            for (CommandLoad.Revoke revoke : load.revokes.values()) {
                TokenFacts facts = tokens.get(revoke.tokenId());
                boolean expiredBefore = facts != null && facts.expired == 1
                        && !revoke.sentAt().isBefore(facts.expiresAt.minusSeconds(1));
                if (facts == null || (facts.revoked != 1 && !expiredBefore)) {
                    problem("revoke of " + revoke.tokenId() + " answered 200, no TokenRevoked");
                    missing++;
                }
            }
            for (Map.Entry<String, String> login : load.logins.entrySet()) {
                TokenFacts facts = tokens.get(login.getKey());
                if (facts == null || !"TEMPORARY".equals(facts.kind) || !login.getValue().equals(facts.ownerId)) {
                    problem("login " + login.getKey() + " answered 200, no TemporaryTokenIssued");
                    missing++;
                }
            }
            long settings = events.stream().filter(e -> e.type().equals("AppConfigChanged")).count();
            if (settings != 2) {
                problem("2 settings answered 200, " + settings + " AppConfigChanged");
            }
            figures.put("acknowledgedWithoutEvents", missing);
        }

        private void sequencesAreContiguous() {
            int broken = 0;
            for (Map.Entry<String, List<Event>> aggregate : byAggregate.entrySet()) {
                List<Long> sequences = aggregate.getValue().stream().map(Event::sequence).sorted().toList();
                for (int i = 0; i < sequences.size(); i++) {
                    if (sequences.get(i) != i) {
                        problem("aggregate " + aggregate.getKey() + " has sequence numbers " + sequences);
                        broken++;
                        break;
                    }
                }
            }
            figures.put("aggregates", byAggregate.size());
            figures.put("aggregatesWithGapsOrDuplicates", broken);
        }

        private void readModelsAgreeWithTheEvents() throws SQLException {
            Map<String, String> expectedTokens = new TreeMap<>();
            Map<String, String> expectedCredentials = new TreeMap<>();
            tokens.forEach((id, t) -> {
                if (t.kind == null) {
                    problem("token " + id + " has events but no creation");
                    return;
                }
                expectedTokens.put(id, String.join("|", t.kind, t.ownerId, username(t.ownerId), t.status(),
                        Objects.toString(t.replacedBy, "")));
                expectedCredentials.put(id, String.join("|", t.kind, t.ownerId, t.status()));
            });
            compare("token_view", expectedTokens, rowsById("SELECT v.id, v.kind, v.user_id, "
                    + "coalesce(o.username, v.user_id::text), v.status, coalesce(v.replaced_by::text, '') "
                    + "FROM token_view v LEFT JOIN token_owner o ON o.user_id = v.user_id"));
            compare("credential", expectedCredentials,
                    rowsById("SELECT token_id, kind, user_id, status FROM credential"));

            Map<String, String> expectedUsers = new TreeMap<>();
            Map<String, String> expectedOwners = new TreeMap<>();
            users.forEach((id, u) -> {
                expectedUsers.put(id, String.join("|", u.username(), u.role(), "true"));
                expectedOwners.put(id, u.username());
            });
            compare("user_view", expectedUsers, rowsById("SELECT id, username, role, enabled::text FROM user_view"));
            compare("credential_user", expectedUsers,
                    rowsById("SELECT user_id, username, role, enabled::text FROM credential_user"));
            compare("token_owner", expectedOwners, rowsById("SELECT user_id, username FROM token_owner"));

            Map<String, String> expectedAudit = new TreeMap<>();
            // An event of no aggregate (a fault acknowledged, a replay started) is logged without one.
            events.forEach(e -> expectedAudit.put(Long.toString(e.globalIndex()), String.join("|", e.eventId(),
                    e.aggregateType() == null ? "null|null" : e.aggregateId() + "|" + e.sequence(), e.type())));
            compare("audit_event", expectedAudit, rowsById("SELECT global_index, event_id, aggregate_id, "
                    + "sequence_number, type FROM audit_event"));
            Map<String, String> expectedChain = new TreeMap<>();
            events.forEach(e -> expectedChain.put(Long.toString(e.globalIndex()), ""));
            compare("audit_chain", expectedChain, rowsById("SELECT global_index FROM audit_chain"));
            JsonNode verify = api.get("/api/audit/verify", admin).json();
            if (!verify.get("verified").asBoolean() || verify.get("checkedEvents").asLong() != events.size()) {
                problem("audit chain: " + verify + " for " + events.size() + " events");
            }
            for (JsonNode processor : api.get("/api/admin/projections", admin).json()) {
                if (!processor.get("lag").isNull() && processor.get("lag").asLong() != 0) {
                    problem("processor " + processor);
                }
            }
        }

        private String username(String userId) {
            UserFacts user = users.get(userId);
            return user == null ? "?" : user.username();
        }

        /** Rows keyed by their first column, the others joined by {@code |}. */
        private Map<String, String> rowsById(String sql) throws SQLException {
            Map<String, String> rows = new TreeMap<>();
            try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int c = 2; c <= columns; c++) {
                        values.add(rs.getString(c));
                    }
                    rows.put(rs.getString(1), String.join("|", values));
                }
            }
            return rows;
        }

        private void compare(String model, Map<String, String> expected, Map<String, String> actual) {
            int wrong = 0;
            for (Map.Entry<String, String> row : expected.entrySet()) {
                String found = actual.get(row.getKey());
                if (!row.getValue().equals(found)) {
                    problem(model + " " + row.getKey() + ": events say [" + row.getValue() + "], read model ["
                            + found + "]");
                    wrong++;
                }
            }
            for (String extra : actual.keySet()) {
                if (!expected.containsKey(extra)) {
                    problem(model + " " + extra + ": a row without events [" + actual.get(extra) + "]");
                    wrong++;
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> models = (Map<String, Object>) figures.computeIfAbsent("readModelRowsWrong",
                    k -> new LinkedHashMap<>());
            models.put(model, wrong);
        }

        private void expiriesFiredOnce() {
            int expiredWhileDown = 0;
            List<Integer> perKill = new ArrayList<>();
            kills.forEach(k -> perKill.add(0));
            for (Map.Entry<String, TokenFacts> entry : tokens.entrySet()) {
                TokenFacts t = entry.getValue();
                if (t.expired > 1 || t.revoked > 1 || t.expired + t.revoked > 1) {
                    problem("token " + entry.getKey() + " expired " + t.expired + " and revoked " + t.revoked
                            + " times");
                }
                boolean due = t.expiresAt != null && t.expiresAt.isBefore(settledAt.minusSeconds(1));
                if (due && t.expired + t.revoked == 0) {
                    problem("token " + entry.getKey() + " due to expire at " + t.expiresAt + ", still active at "
                            + settledAt);
                }
                for (int k = 0; k < kills.size(); k++) {
                    if (t.expiresAt != null && kills.get(k).wasDownAt(t.expiresAt) && t.revoked == 0) {
                        perKill.set(k, perKill.get(k) + 1);
                        expiredWhileDown++;
                    }
                }
            }
            figures.put("tokensExpiredWhileDown", perKill);
            figures.put("tokensExpired", tokens.values().stream().filter(t -> t.expired == 1).count());
            if (expiredWhileDown == 0) {
                problem("no token expired while the application was down: the run proves nothing of that");
            }
        }

        private void warningsRaisedOnce() throws SQLException {
            int warned = 0;
            int firedAfterRestart = 0;
            Map<String, String> expectedFaults = new TreeMap<>();
            for (Map.Entry<String, TokenFacts> entry : tokens.entrySet()) {
                TokenFacts t = entry.getValue();
                if (!"PERMANENT".equals(t.kind)) {
                    continue;
                }
                if (t.warnings.size() > 1
                        || t.warnings.stream().anyMatch(w -> w.payload().get("daysBefore").asInt() != 1)) {
                    problem("token " + entry.getKey() + " warned " + t.warnings.stream()
                            .map(w -> w.payload().get("daysBefore").asText()).toList());
                }
                boolean withinTheDay = t.expiresAt.isBefore(t.createdAt.plus(Duration.ofDays(1)));
                if (withinTheDay && t.status().equals("ACTIVE") && t.warnings.size() != 1) {
                    problem("token " + entry.getKey() + " expires within a day, active, warned " + t.warnings.size()
                            + " times");
                }
                if (!withinTheDay && !t.warnings.isEmpty()) {
                    problem("token " + entry.getKey() + " expires in a year, warned");
                }
                if (!t.warnings.isEmpty()) {
                    warned++;
                    Instant warnedAt = Instant.parse(t.warnings.get(0).payload().get("warnedAt").asText());
                    if (kills.stream().anyMatch(k -> t.createdAt.isBefore(k.killedAt())
                            && warnedAt.isAfter(k.killedAt()))) {
                        firedAfterRestart++;
                    }
                    expectedFaults.put(entry.getKey(), String.join("|", "1", username(t.ownerId),
                            t.revoked > 0 ? "CLEARED" : "OPEN"));
                }
            }
            figures.put("warnings", warned);
            figures.put("warningsDueBeforeAKillRaisedAfterTheRestart", firedAfterRestart);
            compare("fault", expectedFaults, rowsById("SELECT token_id, days_before, username, status FROM fault"));
        }

        private void emailsSentOnce() throws SQLException, MessagingException {
            Map<String, String> expected = new TreeMap<>();
            tokens.forEach((id, t) -> t.warnings.forEach(w -> {
                int days = w.payload().get("daysBefore").asInt();
                for (String recipient : List.of(OPS, users.get(t.ownerId).email())) {
                    expected.put(notificationId(id, days, recipient).toString(), "SENT");
                }
            }));
            compare("notification", expected, rowsById("SELECT id, status FROM notification"));

            Map<String, List<Instant>> received = new HashMap<>();
            MimeMessage[] messages = smtp.getReceivedMessages();
            for (MimeMessage message : messages) {
                String messageId = message.getHeader("Message-ID", null);
                String id = messageId == null ? "none" : messageId.replaceAll("^<|@tokenledger>$", "");
                received.computeIfAbsent(id, k -> new ArrayList<>()).add(message.getReceivedDate().toInstant());
            }
            Set<String> missing = new HashSet<>(expected.keySet());
            missing.removeAll(received.keySet());
            missing.forEach(id -> problem("e-mail " + id + " queued, never received"));
            Set<String> unexpected = new HashSet<>(received.keySet());
            unexpected.removeAll(expected.keySet());
            unexpected.forEach(id -> problem("e-mail " + id + " received, never queued"));
            // One sender thread, an e-mail per transaction: a kill can catch one e-mail accepted but not recorded.
            List<String> duplicates = new ArrayList<>();
            Map<Kill, Integer> perKill = new HashMap<>();
            received.forEach((id, copies) -> {
                if (copies.size() < 2) {
                    return;
                }
                Instant first = copies.stream().min(Instant::compareTo).orElseThrow();
                Instant last = copies.stream().max(Instant::compareTo).orElseThrow();
                Kill across = copies.size() != 2 ? null : kills.stream()
                        .filter(k -> first.isBefore(k.killedAt()) && !last.isBefore(k.restartedAt()))
                        .findFirst().orElse(null);
                if (across == null) {
                    problem("e-mail " + id + " received " + copies.size() + " times: " + copies);
                } else {
                    duplicates.add(id + " at " + first + " and " + last);
                    perKill.merge(across, 1, Integer::sum);
                }
            });
            perKill.forEach((kill, n) -> {
                if (n > 1) {
                    problem(n + " e-mails sent again after the kill at " + kill.killedAt() + ": the sender records "
                            + "each e-mail as sent before the next, so at most one can be in flight");
                }
            });
            duplicates.forEach(d -> System.out.println("Duplicate e-mail across a kill: " + d));
            figures.put("emailsExpected", expected.size());
            figures.put("emailsReceived", messages.length);
            figures.put("emailDuplicatesAcrossKills", duplicates.size());
            figures.put("emailDuplicates", duplicates);
        }
    }

    /** The outbox's id of an e-mail, as the notifier names it. */
    private static UUID notificationId(String tokenId, int daysBefore, String recipient) {
        return UUID.nameUUIDFromBytes(("notification/" + tokenId + "/" + daysBefore + "/"
                + recipient.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String rows(Connection db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    values.add(rs.getString(c));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows.stream().collect(Collectors.joining("; ", "[", "]"));
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static double seconds(Duration duration) {
        return Math.round(duration.toMillis() / 100.0) / 10.0;
    }
}
