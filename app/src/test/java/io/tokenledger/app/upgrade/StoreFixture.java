package io.tokenledger.app.upgrade;

import static io.tokenledger.app.IntegrationTest.EMBEDDED_POSTGRES;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.app.Api;
import io.tokenledger.app.IssuedSecrets;
import io.tokenledger.app.embedded.EmbeddedDatabase;
import io.tokenledger.app.reliability.AppProcess;
import io.tokenledger.app.upgrade.PreviousStore.Manifest;
import io.tokenledger.app.upgrade.PreviousStore.ProcessorSegment;
import io.tokenledger.app.upgrade.PreviousStore.Sequence;
import io.tokenledger.app.upgrade.PreviousStore.Table;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipFile;
import org.postgresql.PGConnection;

/**
 * Writes the fixture that {@link UpgradeFromPreviousStoreTest} starts the current application on: a store written by
 * a previous version of the application, driven over HTTP as users drive it, then exported table by table.
 *
 * <p>The previous version runs as its own process from its packaged jar, on a data directory of its own. It is made
 * to write events of every kind the API can cause (users registered, disabled, enabled and given another role; App
 * Config set and cleared; the warning ladder changed, which replans every token's warning; permanent tokens created,
 * used, revoked and rotated; login sessions opened and closed; warnings raised, faults acknowledged and cleared,
 * e-mails sent), expiry deadlines and warning deadlines, expiry sagas, processor positions and outbox rows. Two
 * tokens are created last, moments before the previous version is stopped: one whose expiry and one whose next
 * warning fall due while it is down, so that the current version has to fire deadlines the previous one stored.
 * Most other tokens live for years, so that the fixture stays meaningful as time passes; those that expire within
 * weeks are compared with their expiry in mind.
 *
 * <p>The export is the data of every table of schema {@code public} in PostgreSQL's {@code COPY} text format (the
 * embedded binaries have no {@code pg_dump}), one gzipped file per table, and {@code manifest.json}: the tables in
 * load order with their columns and sequences, the schema version, the previous version's commit, and what it was
 * made to write (users, tokens, events, processor positions). The manifest holds the plaintexts of the fixture's
 * tokens, the only place they exist: a test needs them to show that those tokens still authenticate. No table may
 * hold one, which the export checks before writing anything.
 *
 * <p>Run from the repository root, with the previous version's jar (here the commit before the Spring Boot 4 and
 * Axon 4.13 upgrade):
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -o -pl app test-compile
 * mvn -B -q -o -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/tokenledger-cp.txt
 * java -cp "app/target/test-classes:app/target/classes:$(cat /tmp/tokenledger-cp.txt)" \
 *      io.tokenledger.app.upgrade.StoreFixture /work/prev/tokenledger-508ace4.jar 508ace4
 * </pre>
 *
 * <p>It replaces {@code app/src/test/resources/upgrade/<commit>/} (a third argument names another directory). The
 * previous version's log and data stay in a temporary directory, outside {@code target/}, which is printed.
 */
public final class StoreFixture {
    private static final String ADMIN_PASSWORD = "previous-admin-password";
    private static final String USER_PASSWORD_SUFFIX = "-previous-password";
    /** The position in Axon's gap-aware and global sequence tracking tokens, when they list no gaps. */
    private static final Pattern POSITION = Pattern.compile(
            "\\{\"(?:index|globalIndex)\"\\s*:\\s*(\\d+)(?:\\s*,\\s*\"gaps\"\\s*:\\s*\\[\\s*])?}");
    /** How long before the first short-fuse deadline the previous version must have stopped. */
    private static final Duration SHORT_FUSE = Duration.ofSeconds(120);

    private final Path jar;
    private final String commit;
    private final Path output;
    private final Path work;
    private final Path dataDir;
    private final AppProcess previous;
    private final Api api;
    private final Map<String, Recorded> recorded = new LinkedHashMap<>();
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private String admin;

    /** A token this generator created or logged in with, by id. */
    private record Recorded(String role, String plaintext) {
    }

    private StoreFixture(Path jar, String commit, Path output) throws IOException {
        this.jar = jar.toAbsolutePath();
        this.commit = commit;
        this.output = output;
        this.work = Files.createTempDirectory("tokenledger-fixture-");
        this.dataDir = work.resolve("data");
        this.previous = new AppProcess("previous-" + commit, this.jar, dataDir, List.of(
                "--tokenledger.embedded-smtp.port=0",
                "--tokenledger.bootstrap-admin.password=" + ADMIN_PASSWORD,
                "--tokenledger.session.secure-cookie=false",
                "--tokenledger.notifications.poll-interval=200ms"));
        this.api = new Api(previous.port());
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: StoreFixture <previous tokenledger.jar> <its commit> [<output directory>]");
            System.exit(2);
        }
        Path output = args.length > 2 ? Path.of(args[2])
                : Path.of("app", "src", "test", "resources", PreviousStore.RESOURCES, args[1]);
        StoreFixture fixture = new StoreFixture(Path.of(args[0]), args[1], output);
        // The plaintexts the previous version shows go to this run's own list, not to the test suite's (whose sweep
        // searches the suite's logs and databases for the plaintexts it was shown).
        System.setProperty("tokenledger.issued-secrets", fixture.work.resolve("issued-tokens.txt").toString());
        fixture.run();
    }

    private void run() throws Exception {
        System.out.println("previous version: " + versions() + ", working in " + work);
        Instant writtenAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        System.out.println("previous version started, log in " + previous.start().toAbsolutePath());
        previous.awaitReady(Duration.ofMinutes(3));
        Instant shortFuse = drive();
        List<JsonNode> users = list("/api/users?size=200");
        List<JsonNode> tokens = list("/api/tokens?size=200");
        if (Instant.now().plus(SHORT_FUSE.dividedBy(3)).isAfter(shortFuse)) {
            throw new IllegalStateException("too slow: the short-fuse deadlines would fire before the stop; run again");
        }
        previous.close(); // SIGTERM, so that it closes its PostgreSQL itself; then any PostgreSQL left on its directory
        Instant stoppedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (!stoppedAt.isBefore(shortFuse)) {
            throw new IllegalStateException("stopped after the short-fuse deadlines fell due; run again");
        }
        export(writtenAt, stoppedAt, users, tokens);
    }

    /** Drives the previous version; returns the instant its short-fuse deadlines fall due. */
    private Instant drive() throws InterruptedException {
        admin = login("admin", ADMIN_PASSWORD, "session-admin");

        // App Config: every key set, one cleared, the ladder changed once tokens exist.
        setting("Permanent Token Max Lifetime Days", "3650");
        setting("User Token Expiration Notification Emails", "former-ops@example.com");
        expect(204, api.delete("/api/settings/app-config/" + key("User Token Expiration Notification Emails"), admin),
                "clear the e-mails");
        setting("User Token Expiration Notification Emails", "ops@example.com;sec@example.com");
        setting("Enable User Token Expiration Notifications", "14;1");

        String alice = user("alice", "USER");
        String bob = user("bob", "USER");
        String carol = user("carol", "AUDITOR");
        String dave = user("dave", "ADMIN");
        String erin = user("erin", "USER");
        String frank = user("frank", "USER");
        String grace = user("grace", "USER");

        Instant now = Instant.now();
        token(alice, "ci-deploy", date(now, 200), "active-200-days");
        token(alice, "nightly-backup", null, "active-default-expiry");
        token(bob, "build-agent", now.plus(Duration.ofDays(20)).toString(), "active-20-days");
        token(bob, "staging", now.plus(Duration.ofDays(3)).toString(), "active-3-days");
        token(alice, "long-lived", date(now, 3000), "revoke-target");
        token(carol, "audit-reader", date(now, 2000), "active-auditor");
        token(dave, "admin-ops", date(now, 1000), "active-admin");
        String leaked = token(erin, "leaked", now.plus(Duration.ofDays(5)).toString(), "revoked");
        String rotated = token(alice, "to-rotate", date(now, 2500), "rotated");
        token(frank, "frank-token", date(now, 3000), "revoked-by-disable");
        token(grace, "grace-token", date(now, 3000), "revoked-by-disable-user-enabled-again");

        awaitTotal("/api/faults?size=200", 2, "the 14-day warnings of staging and leaked");
        // A longer ladder replans every token's warning (some are due at once): one event per expiry bucket.
        setting("Enable User Token Expiration Notifications", "30;7;1");
        awaitTotal("/api/faults?size=200", 5, "warnings of staging (14, 7), leaked (14, 7) and build-agent (30)");

        String buildAgentFault = list("/api/faults?size=200").stream()
                .filter(f -> f.get("tokenName").asText().equals("build-agent")).findFirst().orElseThrow()
                .get("id").asText();
        expect(200, api.post("/api/faults/" + buildAgentFault + "/acknowledge", admin, null), "acknowledge");
        expect(200, api.post("/api/tokens/" + leaked + "/revoke", admin, Map.of("reason", "leaked")), "revoke");
        JsonNode successor = expect(201, api.post("/api/tokens/" + rotated + "/rotate", admin,
                Map.of("expiresAt", date(now, 2600))), "rotate").json();
        remember(successor.get("id").asText(), "rotation-successor", successor.get("token").asText());

        expect(200, api.put("/api/users/" + erin + "/role", admin, Map.of("role", "AUDITOR")), "change role");
        expect(200, api.post("/api/users/" + frank + "/disable", admin, null), "disable");
        expect(200, api.post("/api/users/" + grace + "/disable", admin, null), "disable");
        expect(200, api.post("/api/users/" + grace + "/enable", admin, null), "enable");

        String aliceSession = login("alice", passwords.get("alice"), "session-alice");
        String bobSession = login("bob", passwords.get("bob"), "session-logged-out");
        expect(204, api.post("/api/auth/logout", bobSession, null), "log out");
        String daveSession = login("dave", passwords.get("dave"), "session-dave");
        JsonNode own = expect(201, api.post("/api/me/tokens", daveSession, Map.of("name", "self-service",
                "expiresAt", date(now, 3000))), "create own token").json();
        remember(own.get("id").asText(), "self-service", own.get("token").asText());
        // token uses (recorded once per interval), of a permanent token and of a login session
        expect(200, api.get("/api/tokens/self", recorded.get(roleId("active-200-days")).plaintext()), "use");
        expect(200, api.get("/api/me", aliceSession), "use");

        // Last: deadlines that fall due while the previous version is down.
        Instant fuse = Instant.now().plus(SHORT_FUSE).truncatedTo(ChronoUnit.MILLIS);
        token(bob, "expires-while-down", fuse.toString(), "expires-while-down");
        token(dave, "warns-while-down", fuse.plus(Duration.ofDays(1)).toString(), "warns-while-down");
        awaitTotal("/api/faults?size=200", 7, "the warnings of the short-fuse tokens (1, 7)");
        awaitTotal("/api/notifications?size=200&status=SENT", 21, "3 e-mails per warning");
        awaitCaughtUp();
        return fuse;
    }

    private void setting(String label, String value) {
        expect(200, api.put("/api/settings/app-config/" + key(label), admin, Map.of("value", value)), "set " + label);
    }

    private static String key(String label) {
        return label.replace(" ", "%20");
    }

    private String user(String name, String role) {
        String password = name + USER_PASSWORD_SUFFIX;
        passwords.put(name, password);
        return api.createUser(admin, name, role, password);
    }

    private String login(String username, String password, String role) {
        JsonNode session = expect(200, api.post("/api/auth/login", null,
                Map.of("username", username, "password", password)), "log in " + username).json();
        remember(session.get("tokenId").asText(), role, session.get("token").asText());
        return session.get("token").asText();
    }

    private String token(String owner, String name, String expiresAt, String role) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("name", name);
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt);
        }
        JsonNode created = expect(201, api.post("/api/users/" + owner + "/tokens", admin, body), "create " + name)
                .json();
        remember(created.get("id").asText(), role, created.get("token").asText());
        return created.get("id").asText();
    }

    private void remember(String id, String role, String plaintext) {
        if (TokenSecret.parse(plaintext).isEmpty()) {
            throw new IllegalStateException("not a token: the answer for " + role);
        }
        recorded.put(id, new Recorded(role, plaintext));
    }

    private String roleId(String role) {
        return recorded.entrySet().stream().filter(e -> e.getValue().role().equals(role)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    private static String date(Instant now, int days) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(days).toString();
    }

    private static Api.Response expect(int status, Api.Response response, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + ": " + response.status() + " " + response.raw());
        }
        return response;
    }

    private List<JsonNode> list(String path) {
        JsonNode page = expect(200, api.get(path, admin), path).json();
        List<JsonNode> items = new ArrayList<>();
        page.get("items").forEach(items::add);
        if (page.get("total").asLong() != items.size()) {
            throw new IllegalStateException(path + ": more than one page");
        }
        return items;
    }

    private void awaitTotal(String path, long total, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = expect(200, api.get(path, admin), path).json().get("total").asLong();
            if (seen == total) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(path + ": " + seen + " instead of " + total + " (" + what + ")");
    }

    /** Every processor at the head, three times in a row, so that each has stored its position there. */
    private void awaitCaughtUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int inARow = 0;
        while (inARow < 3) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processors did not catch up: "
                        + api.get("/api/admin/projections", admin).raw());
            }
            JsonNode processors = expect(200, api.get("/api/admin/projections", admin), "projections").json();
            boolean caughtUp = processors.size() > 0;
            for (JsonNode p : processors) {
                // the live processor keeps its position in memory: it has none to store
                caughtUp &= p.get("lag").isNull() || p.get("lag").asLong() == 0;
            }
            inARow = caughtUp ? inARow + 1 : 0;
            Thread.sleep(1000);
        }
    }

    private void export(Instant writtenAt, Instant stoppedAt, List<JsonNode> userViews, List<JsonNode> tokenViews)
            throws IOException, SQLException {
        Files.createDirectories(output);
        try (Stream<Path> old = Files.list(output)) {
            for (Path file : old.filter(f -> f.toString().endsWith(".copy.gz")
                    || f.getFileName().toString().equals(PreviousStore.MANIFEST)).toList()) {
                Files.delete(file);
            }
        }
        try (EmbeddedDatabase postgres = EmbeddedDatabase.open(dataDir.resolve("postgres"), EMBEDDED_POSTGRES);
             Connection c = postgres.dataSource("postgres").getConnection()) {
            checkShortFuseDeadlinesPending(c);
            List<Table> tables = new ArrayList<>();
            for (String table : tables(c)) {
                tables.add(exportTable(c, table));
            }
            Manifest manifest = new Manifest(commit, versions(), schemaVersion(c), writtenAt, stoppedAt, "admin",
                    ADMIN_PASSWORD, single(c, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry"),
                    eventsByType(c), tables, users(userViews), tokens(c, tokenViews), processors(c));
            Files.writeString(output.resolve(PreviousStore.MANIFEST),
                    PreviousStore.JSON.writeValueAsString(manifest) + "\n", StandardCharsets.UTF_8);
            long bytes = 0;
            try (Stream<Path> files = Files.list(output)) {
                for (Path file : files.toList()) {
                    bytes += Files.size(file);
                }
            }
            System.out.printf("wrote %d tables, %d events, %d tokens to %s (%d bytes)%n", tables.size(),
                    manifest.headGlobalIndex(), manifest.tokens().size(), output, bytes);
        }
    }

    /** The deadlines meant to fall due while the previous version is down must not have fired before it stopped. */
    private void checkShortFuseDeadlinesPending(Connection c) throws SQLException {
        for (String role : List.of("expires-while-down", "warns-while-down")) {
            String id = roleId(role);
            long events = single(c, "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = '" + id
                    + "' AND payload_type LIKE '%.TokenExpired'");
            if (events != 0) {
                throw new IllegalStateException(role + " expired before the previous version stopped; run again");
            }
        }
        long due = single(c, "SELECT count(*) FROM scheduled_tasks WHERE execution_time < now() + interval '1 day'");
        if (due < 2) {
            throw new IllegalStateException("the short-fuse deadlines are not pending: " + due + "; run again");
        }
    }

    /** Every table of schema public, Flyway's history first. */
    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename <> '"
                        + PreviousStore.HISTORY_TABLE + "', tablename")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private Table exportTable(Connection c, String table) throws SQLException, IOException {
        List<String> columns = new ArrayList<>();
        Sequence sequence = null;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT column_name, pg_get_serial_sequence(quote_ident(table_name), column_name)
                FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = '%s' ORDER BY ordinal_position""".formatted(table))) {
            while (rs.next()) {
                columns.add(rs.getString(1));
                if (rs.getString(2) != null) {
                    if (sequence != null) {
                        throw new IllegalStateException(table + " has more than one sequence");
                    }
                    sequence = sequence(c, rs.getString(2));
                }
            }
        }
        String columnList = String.join(", ", columns.stream().map(PreviousStore::quote).toList());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        c.unwrap(PGConnection.class).getCopyAPI()
                .copyOut("COPY " + PreviousStore.quote(table) + " (" + columnList + ") TO STDOUT", data);
        byte[] bytes = data.toByteArray();
        long rows = 0;
        for (byte b : bytes) {
            rows += b == '\n' ? 1 : 0;
        }
        checkNoSecret(table, new String(bytes, StandardCharsets.UTF_8));
        String file = table + ".copy.gz";
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(output.resolve(file)))) {
            out.write(bytes);
        }
        return new Table(table, file, columns, rows, sequence);
    }

    private static Sequence sequence(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM " + name)) {
            rs.next();
            return new Sequence(name, rs.getLong(1), rs.getBoolean(2));
        }
    }

    /** No plaintext, random part or hex-encoded plaintext of any token the run was shown, and no token at all. */
    private void checkNoSecret(String table, String text) {
        Matcher shape = IssuedSecrets.SHAPE.matcher(text);
        while (shape.find()) {
            if (TokenSecret.parse(shape.group()).isPresent()) {
                throw new IllegalStateException(table + " holds a well-formed token: no fixture written");
            }
        }
        for (String plaintext : IssuedSecrets.all()) {
            String hex = HexFormat.of().formatHex(plaintext.getBytes(StandardCharsets.US_ASCII));
            if (text.contains(plaintext.substring(4, 36)) || text.contains(hex)) {
                throw new IllegalStateException(table + " holds a plaintext the run was shown: no fixture written");
            }
        }
    }

    private static String schemaVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM "
                + PreviousStore.HISTORY_TABLE + " WHERE success AND version IS NOT NULL "
                + "ORDER BY installed_rank DESC LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Map<String, Long> eventsByType(Connection c) throws SQLException {
        Map<String, Long> types = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT payload_type, count(*) FROM domain_event_entry GROUP BY payload_type")) {
            while (rs.next()) {
                types.put(simpleName(rs.getString(1)), rs.getLong(2));
            }
        }
        return types;
    }

    private List<PreviousStore.User> users(List<JsonNode> views) {
        List<PreviousStore.User> users = new ArrayList<>();
        for (JsonNode u : views) {
            String name = u.get("username").asText();
            String password = name.equals("admin") ? ADMIN_PASSWORD : passwords.get(name);
            users.add(new PreviousStore.User(u.get("id").asText(), name, u.get("email").asText(),
                    u.get("role").asText(), u.get("enabled").asBoolean(), password));
        }
        return users;
    }

    private List<PreviousStore.Token> tokens(Connection c, List<JsonNode> views) throws SQLException {
        if (views.size() != recorded.size()) {
            throw new IllegalStateException(views.size() + " tokens listed, " + recorded.size() + " created");
        }
        List<PreviousStore.Token> tokens = new ArrayList<>();
        for (JsonNode t : views) {
            String id = t.get("id").asText();
            Recorded r = recorded.get(id);
            if (r == null) {
                throw new IllegalStateException("token " + id + " was not created by this run");
            }
            List<String> events = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT payload_type FROM "
                    + "domain_event_entry WHERE aggregate_identifier = '" + id + "' ORDER BY sequence_number")) {
                while (rs.next()) {
                    events.add(simpleName(rs.getString(1)));
                }
            }
            tokens.add(new PreviousStore.Token(id, r.role(), t.get("kind").asText(), t.get("name").asText(),
                    t.get("userId").asText(), t.get("status").asText(), Instant.parse(t.get("createdAt").asText()),
                    Instant.parse(t.get("expiresAt").asText()), text(t, "revokeReason"), text(t, "replacedBy"),
                    r.plaintext(), events));
        }
        return tokens;
    }

    private static List<ProcessorSegment> processors(Connection c) throws SQLException {
        List<ProcessorSegment> segments = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT processor_name, segment, "
                + "token_type, convert_from(token, 'UTF8') FROM token_entry ORDER BY processor_name, segment")) {
            while (rs.next()) {
                String type = rs.getString(3);
                Matcher token = POSITION.matcher(rs.getString(4) == null ? "" : rs.getString(4).strip());
                Long position = type != null && (type.endsWith(".GapAwareTrackingToken")
                        || type.endsWith(".GlobalSequenceTrackingToken")) && token.matches()
                        ? Long.valueOf(token.group(1)) : null;
                segments.add(new ProcessorSegment(rs.getString(1), rs.getInt(2), type, position));
            }
        }
        return segments;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /** Spring Boot's and Axon's versions in the previous jar, for the manifest's reader. */
    private String versions() throws IOException {
        Pattern lib = Pattern.compile(
                "BOOT-INF/lib/(spring-boot|axon-messaging|db-scheduler|flyway-core)-(\\d[^/]*)\\.jar");
        Map<String, String> found = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(e -> lib.matcher(e.getName())).filter(Matcher::matches)
                    .forEach(m -> found.put(m.group(1), m.group(2)));
        }
        return found.toString();
    }
}
