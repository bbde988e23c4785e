package io.tokenledger.app.input;

import io.tokenledger.app.Api;
import io.tokenledger.app.TokenLedgerApplication;
import io.tokenledger.app.input.BadInput.Body;
import io.tokenledger.app.input.BadInput.Field;
import io.tokenledger.app.input.BadInput.Id;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Every endpoint that takes a body or a path id, fed what careless and hostile clients send (see {@link BadInput}),
 * as an admin, who may do the most: the answer is never a 5xx; a refusal is a 4xx problem-details body with no trace
 * of the implementation, and it changed nothing (see {@link Ledger}); malformed JSON is a 400 and an unknown id a
 * 404 where API.md says so. Valid inputs that get through are counted, and must leave every read model working.
 * Runs on the integration tests' cached application context (same annotations), reached through Spring's cache.
 */
@SpringBootTest(classes = TokenLedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureMetrics
class EndpointPropertiesTest {
    private static final Set<String> REPLAYABLE = Set.of("token-inventory", "users", "credentials", "app-config");
    private static final List<String> SETTING_LABELS = List.of("Enable User Token Expiration Notifications",
            "User Token Expiration Notification Emails", "Permanent Token Max Lifetime Days");

    private static Ledger ledger;
    private static long started;
    /** Fixtures: users whose role and state the properties change, a token owner and some of its tokens. */
    private static String loginUser;
    private static String roleUser;
    private static String stateUser;
    private static String owner;
    private static String[] tokens;

    @BeforeContainer
    static void start() {
        started = System.nanoTime();
        ledger = Ledger.start(EndpointPropertiesTest.class);
        loginUser = "input-login-" + UUID.randomUUID().toString().substring(0, 8);
        ledger.api.createUser(ledger.admin, loginUser, "USER", Ledger.PASSWORD);
        roleUser = ledger.newUser("input-role", "USER");
        stateUser = ledger.newUser("input-state", "USER");
        owner = ledger.newUser("input-owner", "USER");
        tokens = new String[] {ledger.newToken(owner), ledger.newToken(owner), ledger.newToken(owner)};
        ledger.settle();
    }

    @AfterContainer
    static void finish() {
        Figures.took(EndpointPropertiesTest.class.getSimpleName(), (System.nanoTime() - started) / 1_000_000);
        ledger.finish();
    }

    // ---- auth --------------------------------------------------------------------------------------------

    /** Sent without credentials from another loopback address, so its failed logins throttle no other test. */
    @Property(tries = 100)
    void login(@ForAll("logins") Probe probe) {
        ledger.sendAnonymously("POST /api/auth/login", probe);
    }

    @Provide
    Arbitrary<Probe> logins() {
        return withBody("POST", Arbitraries.just("/api/auth/login"), BadInput.body(
                new Field("username", mostly(loginUser, "no-such-user", loginUser.toUpperCase())),
                new Field("password", mostly(Ledger.PASSWORD, "wrong-password"))));
    }

    // ---- users -------------------------------------------------------------------------------------------

    @Property(tries = 120)
    void createUser(@ForAll("newUsers") Probe probe) {
        ledger.send("POST /api/users", probe);
    }

    @Provide
    Arbitrary<Probe> newUsers() {
        Arbitrary<String> username = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.randomValue(r -> "input-new-" + Integer.toHexString(r.nextInt()))),
                Tuple.of(1, Arbitraries.of(loginUser, "admin", "ab", "a".repeat(65), "-dash-first", "has space")));
        return withBody("POST", Arbitraries.just("/api/users"), BadInput.body(
                new Field("username", username.map(BadInput::quote)),
                new Field("email", mostly("someone@example.com", "not-an-email", "a@b",
                        "x".repeat(250) + "@example.com")),
                new Field("displayName", Arbitraries.of("Some One", "Ünïcødé 名前 🙂").map(BadInput::quote)),
                new Field("role", mostly("USER", "ADMIN", "AUDITOR", "admin", "ROOT")),
                new Field("password", Arbitraries.just(Ledger.PASSWORD).map(BadInput::quote))));
    }

    // ---- scopes and clients -------------------------------------------------------------------------------

    @Property(tries = 60)
    void registerScope(@ForAll("newScopes") Probe probe) {
        ledger.send("POST /api/scopes", probe);
    }

    @Provide
    Arbitrary<Probe> newScopes() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.randomValue(r -> "input-scope." + Integer.toHexString(r.nextInt()))),
                Tuple.of(1, Arbitraries.of("api", "read_api", "Upper", "1digit", "has space", "a".repeat(65), "")));
        return withBody("POST", Arbitraries.just("/api/scopes"), BadInput.body(
                new Field("name", name.map(BadInput::quote)),
                new Field("description", Arbitraries.of("Deploys", "Ünïcødé 🙂", "x".repeat(600)).map(BadInput::quote))));
    }

    @Property(tries = 40)
    void registerClient(@ForAll("newClients") Probe probe) {
        ledger.send("POST /api/clients", probe);
    }

    @Provide
    Arbitrary<Probe> newClients() {
        return withBody("POST", Arbitraries.just("/api/clients"), BadInput.body(
                new Field("name", Arbitraries.of("inventory service", "Ünïcødé 名前", " ", "x".repeat(101))
                        .map(BadInput::quote))));
    }

    /** JSON strings: mostly the first, else one of the others (which a field may or may not take). */
    private static Arbitrary<String> mostly(String first, String... others) {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(first)), Tuple.of(1, Arbitraries.of(others)))
                .map(BadInput::quote);
    }

    @Property(tries = 150)
    void changeRole(@ForAll("roleChanges") Probe probe) {
        ledger.send("PUT /api/users/{id}/role", probe);
    }

    @Provide
    Arbitrary<Probe> roleChanges() {
        return withBody("PUT", BadInput.id(roleUser).map(id -> "/api/users/" + id + "/role"),
                BadInput.body(new Field("role", mostly("AUDITOR", "USER", "ADMIN", "user", "ROOT"))));
    }

    @Property(tries = 150)
    void disableOrEnable(@ForAll("stateChanges") Probe probe) {
        ledger.send("POST /api/users/{id}/" + (probe.path().endsWith("/disable") ? "disable" : "enable"), probe);
    }

    @Provide
    Arbitrary<Probe> stateChanges() {
        return Combinators.combine(BadInput.id(stateUser), Arbitraries.of("disable", "enable"))
                .flatAs((id, action) -> withIgnoredBody("/api/users/" + id.segment() + "/" + action, id));
    }

    // ---- tokens ------------------------------------------------------------------------------------------

    @Property(tries = 200)
    void createTokenForUser(@ForAll("tokensForUser") Probe probe) {
        ledger.send("POST /api/users/{userId}/tokens", probe);
    }

    @Provide
    Arbitrary<Probe> tokensForUser() {
        return withBody("POST", BadInput.id(owner, stateUser).map(id -> "/api/users/" + id + "/tokens"), tokenBody());
    }

    @Property(tries = 100)
    void createOwnToken(@ForAll("ownTokens") Probe probe) {
        Api.Response response = ledger.send("POST /api/me/tokens", probe);
        if (response.status() == 201) {
            // The admin's own token list is left as it was: what was created is revoked at once.
            ledger.api.post("/api/tokens/" + response.json().get("id").asText() + "/revoke", ledger.admin, null);
            ledger.settle();
        }
    }

    @Provide
    Arbitrary<Probe> ownTokens() {
        return withBody("POST", Arbitraries.just("/api/me/tokens"), tokenBody());
    }

    @Property(tries = 150)
    void revoke(@ForAll("revocations") Probe probe) {
        ledger.send("POST /api/tokens/{id}/revoke", probe);
    }

    @Provide
    Arbitrary<Probe> revocations() {
        return BadInput.id(tokens).flatMap(id -> withOptionalBody("/api/tokens/" + id.segment() + "/revoke", id,
                BadInput.body(new Field("reason", mostly("no longer needed", "", " ", "x".repeat(200))))));
    }

    @Property(tries = 150)
    void rotate(@ForAll("rotations") Probe probe) {
        ledger.send("POST /api/tokens/{id}/rotate", probe);
    }

    /** Found by {@link #rotate}: a form body Tomcat cannot decode was a 500. */
    @Example
    void aFormBodyWithABrokenPercentEscapeIsRefused400() {
        ledger.send("POST /api/tokens/{id}/rotate", Probe.of("POST", "/api/tokens/" + tokens[1] + "/rotate",
                "{\"expiresAt\":\"%s%n%x\"}", "application/x-www-form-urlencoded").expecting(400));
    }

    @Provide
    Arbitrary<Probe> rotations() {
        return BadInput.id(tokens).flatMap(id -> withOptionalBody("/api/tokens/" + id.segment() + "/rotate", id,
                BadInput.body(new Field("expiresAt", BadInput.expiry().map(BadInput::quote)))));
    }

    // ---- settings ----------------------------------------------------------------------------------------

    @Property(tries = 100)
    void changeSetting(@ForAll("settingChanges") Probe probe) {
        Api.Response response = ledger.send("PUT /api/settings/app-config/{key}", probe);
        if (response.status() == 200) {
            ledger.restoreSettings();
        }
    }

    @Provide
    Arbitrary<Probe> settingChanges() {
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("30;7;1", "7", "365", "0", "366", "-1", "1;1", "30,7", "7;30",
                        "ops@example.com", "ops@example.com;sec@example.com", "ops@example.com,sec@example.com",
                        "not-an-email", ";", "90", "1", "36500", "2147483648", "1.5", " 30 ")),
                Tuple.of(2, BadInput.text()));
        Arbitrary<Body> bodies = BadInput.body(new Field("value", value.map(BadInput::quote)));
        return Combinators.combine(settingKey(), bodies, BadInput.contentType()).as((key, body, type) -> {
            Probe probe = Probe.of("PUT", "/api/settings/app-config/" + key.segment(), body.json(), type)
                    .expectingMalformed(body);
            // An unknown key is refused once the body is read, however good the value.
            return key.unknown() && probe.expected() == null && "application/json".equals(type)
                    ? probe.expecting(400) : probe;
        });
    }

    @Property(tries = 100)
    void clearSetting(@ForAll("settingKeys") Id key) {
        Probe probe = Probe.of("DELETE", "/api/settings/app-config/" + key.segment());
        Api.Response response = ledger.send("DELETE /api/settings/app-config/{key}",
                key.unknown() ? probe.expecting(400) : probe);
        if (response.status() == 204) {
            ledger.restoreSettings();
        }
    }

    @Provide
    Arbitrary<Id> settingKeys() {
        return settingKey();
    }

    /**
     * A key segment: a portal label as is, in other case or padded, the former label, a key no one has (marked
     * unknown: API.md answers it 400), or a bad segment.
     */
    private static Arbitrary<Id> settingKey() {
        Arbitrary<String> labels = Arbitraries.of(SETTING_LABELS);
        Arbitrary<String> known = Arbitraries.frequencyOf(
                Tuple.of(2, labels.map(Ledger::segment)),
                Tuple.of(1, labels.map(l -> Ledger.segment(l.toUpperCase()))),
                Tuple.of(1, labels.map(l -> Ledger.segment(" " + l + "\t"))),
                Tuple.of(1, labels.map(l -> l.replace(" ", "+"))),
                Tuple.of(1, Arbitraries.just("Enable%20User%20Token%20Notification")));
        Arbitrary<String> unknown = Arbitraries.of("Unknown%20Key", "EXPIRY_NOTIFICATION_DAYS",
                "Permanent%20Token%20Max%20Lifetime", "Emails", "null");
        return Arbitraries.frequencyOf(
                Tuple.of(6, known.map(k -> new Id(k, false))),
                Tuple.of(2, unknown.map(k -> new Id(k, true))),
                Tuple.of(3, BadInput.badIdSegment().map(k -> new Id(k, false))));
    }

    // ---- faults and operations ---------------------------------------------------------------------------

    @Property(tries = 100)
    void acknowledgeFault(@ForAll("acknowledgements") Probe probe) {
        ledger.send("POST /api/faults/{id}/acknowledge", probe);
    }

    @Provide
    Arbitrary<Probe> acknowledgements() {
        return BadInput.id().flatMap(id -> withIgnoredBody("/api/faults/" + id.segment() + "/acknowledge", id));
    }

    @Property(tries = 100)
    void replayUnknownProjection(@ForAll("replays") Probe probe) {
        ledger.send("POST /api/admin/projections/{name}/replay", probe);
    }

    @Provide
    Arbitrary<Probe> replays() {
        Arbitrary<Id> names = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(REPLAYABLE).flatMap(n -> Arbitraries.of(n.toUpperCase(), "%20" + n,
                        n + "%20", n.replace('-', '_'), n + "s", "all", "*", "noSuchSagaProcessor"))
                        .filter(n -> !REPLAYABLE.contains(n)).map(n -> new Id(n, true))),
                Tuple.of(1, Arbitraries.of("notifier", "audit-chain", "users%00")
                        .map(n -> new Id(n, false))),
                Tuple.of(3, BadInput.badIdSegment().filter(n -> !REPLAYABLE.contains(n)).map(n -> new Id(n, false))));
        return names.flatMap(name -> withIgnoredBody("/api/admin/projections/" + name.segment() + "/replay", name));
    }

    // ---- free text that is stored ----------------------------------------------------------------------

    /**
     * The text fields that end up in events (a display name, a token name, a revocation reason) in requests that
     * are otherwise valid, filled with NUL, control characters, lone surrogates, odd unicode, 100 KB: each is
     * refused, or stored such that every read model takes it (PostgreSQL refuses NUL in text and in JSONB).
     */
    @Property(tries = 60)
    void storedText(@ForAll("storedTexts") Tuple.Tuple2<String, String> fieldAndText) {
        String text = fieldAndText.get2();
        switch (fieldAndText.get1()) {
            case "displayName" -> ledger.send("POST /api/users", Probe.of("POST", "/api/users", json(
                    "username", "input-text-" + UUID.randomUUID().toString().substring(0, 8),
                    "email", "someone@example.com", "displayName", text, "role", "USER", "password", Ledger.PASSWORD),
                    "application/json"));
            case "name" -> ledger.send("POST /api/users/{userId}/tokens", Probe.of("POST",
                    "/api/users/" + owner + "/tokens", json("name", text), "application/json"));
            default -> {
                String token = ledger.newToken(owner);
                ledger.settle();
                ledger.send("POST /api/tokens/{id}/revoke", Probe.of("POST", "/api/tokens/" + token + "/revoke",
                        json("reason", text), "application/json"));
            }
        }
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> storedTexts() {
        return Combinators.combine(Arbitraries.of("displayName", "name", "reason"), BadInput.text()).as(Tuple::of);
    }

    private static String json(String... namesAndValues) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.append(i == 0 ? "" : ",").append(BadInput.quote(namesAndValues[i])).append(':')
                    .append(BadInput.quote(namesAndValues[i + 1]));
        }
        return json.append('}').toString();
    }

    // ---- oversize bodies ---------------------------------------------------------------------------------

    /**
     * Bodies of megabytes to every endpoint that reads a JSON body, on valid paths: each is refused 413 before it
     * is read (the client asks first, {@code Expect: 100-continue}, so the refusal comes before the body).
     */
    @Property(tries = 24)
    void oversizeBody(@ForAll("oversizeBodies") Tuple.Tuple2<String, Probe> endpointAndProbe) {
        String endpoint = endpointAndProbe.get1();
        Probe probe = endpointAndProbe.get2();
        Api.Response response = endpoint.endsWith("/login") ? ledger.sendAnonymously(endpoint, probe)
                : ledger.send(endpoint, probe);
        if (response.status() / 100 == 2 && endpoint.startsWith("PUT /api/settings")) {
            ledger.restoreSettings();
        }
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, Probe>> oversizeBodies() {
        List<Tuple.Tuple3<String, String, String>> endpoints = List.of(
                Tuple.of("POST /api/auth/login", "/api/auth/login", "username"),
                Tuple.of("POST /api/users", "/api/users", "username"),
                Tuple.of("PUT /api/users/{id}/role", "/api/users/" + roleUser + "/role", "role"),
                Tuple.of("POST /api/users/{userId}/tokens", "/api/users/" + owner + "/tokens", "name"),
                Tuple.of("POST /api/me/tokens", "/api/me/tokens", "name"),
                Tuple.of("POST /api/tokens/{id}/revoke", "/api/tokens/" + tokens[0] + "/revoke", "reason"),
                Tuple.of("POST /api/tokens/{id}/rotate", "/api/tokens/" + tokens[1] + "/rotate", "expiresAt"),
                Tuple.of("PUT /api/settings/app-config/{key}",
                        "/api/settings/app-config/" + Ledger.segment(SETTING_LABELS.get(2)), "value"));
        return Arbitraries.of(endpoints).flatMap(e -> BadInput.oversize(e.get3()).map(body -> Tuple.of(e.get1(),
                Probe.of(e.get1().substring(0, e.get1().indexOf(' ')), e.get2(), body.json(), "application/json")
                        .expectingMalformed(body))));
    }

    // ---- shapes ------------------------------------------------------------------------------------------

    /** Bodies of token creation: a name (fresh, taken, bad) and an expiry (valid, past, too far, misformatted). */
    private static Arbitrary<Body> tokenBody() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.randomValue(r -> "input-" + Integer.toHexString(r.nextInt()))),
                Tuple.of(1, Arbitraries.of("x".repeat(400), "x".repeat(401), " padded ", "\u540D\u524D")));
        return BadInput.body(new Field("name", name.map(BadInput::quote)),
                new Field("expiresAt", BadInput.expiry().map(BadInput::quote)));
    }

    /** A request with a body the endpoint reads: a malformed one sent as JSON must be answered 400. */
    private static Arbitrary<Probe> withBody(String method, Arbitrary<String> paths, Arbitrary<Body> bodies) {
        return Combinators.combine(paths, bodies, BadInput.contentType()).as((path, body, type) ->
                Probe.of(method, path, body.json(), type).expectingMalformed(body));
    }

    /**
     * A request whose body is optional: absent (then an unknown id must be answered 404), or given, then read, so
     * a malformed one sent as JSON is a 400.
     */
    private static Arbitrary<Probe> withOptionalBody(String path, Id id, Arbitrary<Body> bodies) {
        return Combinators.combine(bodies.injectNull(0.3), BadInput.contentType()).as((body, type) -> body == null
                ? notFoundIfUnknown(Probe.of("POST", path), id)
                : Probe.of("POST", path, body.json(), type).expectingMalformed(body));
    }

    /** A POST that reads no body: without one, an unknown id must be answered 404; junk with a content type. */
    private static Arbitrary<Probe> withIgnoredBody(String path, Id id) {
        return Combinators.combine(BadInput.notAnObject().injectNull(0.4), BadInput.contentType())
                .as((body, type) -> body == null ? notFoundIfUnknown(Probe.of("POST", path), id)
                        : Probe.of("POST", path, body.json(), type));
    }

    private static Probe notFoundIfUnknown(Probe probe, Id id) {
        return id.unknown() ? probe.expecting(404) : probe;
    }
}
