package io.tokenledger.app.input;

import static io.tokenledger.app.input.BadInput.enumValue;
import static io.tokenledger.app.input.BadInput.instant;
import static io.tokenledger.app.input.BadInput.page;
import static io.tokenledger.app.input.BadInput.param;
import static io.tokenledger.app.input.BadInput.query;
import static io.tokenledger.app.input.BadInput.size;
import static io.tokenledger.app.input.BadInput.sort;
import static io.tokenledger.app.input.BadInput.textOr;

import io.tokenledger.app.TokenLedgerApplication;
import io.tokenledger.app.input.BadInput.Id;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
 * Every read that takes query parameters or a path id, fed bad filters, ids, instants, pages, sizes, sorts and
 * Accept headers, as an admin: never a 5xx; a refusal is a 4xx problem-details body with no trace of the
 * implementation, and (reads or not) it changed nothing (see {@link Ledger}).
 */
@SpringBootTest(classes = TokenLedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureMetrics
class QueryPropertiesTest {
    private static Ledger ledger;
    private static long started;
    /** Fixtures: a user with a token, to address and filter by. */
    private static String user;
    private static String token;

    @BeforeContainer
    static void start() {
        started = System.nanoTime();
        ledger = Ledger.start(QueryPropertiesTest.class);
        user = ledger.newUser("input-reader", "USER");
        token = ledger.newToken(user);
        ledger.settle();
    }

    @AfterContainer
    static void finish() {
        Figures.took(QueryPropertiesTest.class.getSimpleName(), (System.nanoTime() - started) / 1_000_000);
        ledger.finish();
    }

    // ---- tokens ------------------------------------------------------------------------------------------

    @Property(tries = 200)
    void listTokens(@ForAll("tokenLists") String query) {
        ledger.send("GET /api/tokens", Probe.of("GET", "/api/tokens" + query));
    }

    @Provide
    Arbitrary<String> tokenLists() {
        return query(param("status", enumValue("ACTIVE", "EXPIRED", "REVOKED")), param("userId", uuidParam(user)),
                param("kind", enumValue("PERMANENT", "TEMPORARY")), param("q", textOr("input", "a%b_c")),
                param("expiresBefore", instant()), param("page", page()), param("size", size()),
                param("sort", sort("name", "username", "createdAt", "lastUsedAt", "expiresAt", "status", "kind")));
    }

    @Property(tries = 150)
    void listTokensOfUser(@ForAll("userTokenLists") Probe probe) {
        ledger.send("GET /api/users/{userId}/tokens", probe);
    }

    @Provide
    Arbitrary<Probe> userTokenLists() {
        return Combinators.combine(BadInput.id(user),
                query(param("status", enumValue("ACTIVE", "EXPIRED", "REVOKED")),
                        param("kind", enumValue("PERMANENT", "TEMPORARY")), param("q", textOr("input")),
                        param("page", page()), param("size", size()), param("sort", sort("name", "expiresAt"))))
                .as((id, query) -> read("/api/users/" + id.segment() + "/tokens" + query, id, query));
    }

    @Property(tries = 100)
    void listOwnTokens(@ForAll("ownTokenLists") String query) {
        ledger.send("GET /api/me/tokens", Probe.of("GET", "/api/me/tokens" + query));
    }

    @Provide
    Arbitrary<String> ownTokenLists() {
        return query(param("status", enumValue("ACTIVE", "EXPIRED", "REVOKED")),
                param("kind", enumValue("PERMANENT", "TEMPORARY")), param("page", page()), param("size", size()),
                param("sort", sort("createdAt", "name")));
    }

    @Property(tries = 100)
    void oneToken(@ForAll("tokenIds") Id id) {
        ledger.send("GET /api/tokens/{id}", read("/api/tokens/" + id.segment(), id, ""));
    }

    @Provide
    Arbitrary<Id> tokenIds() {
        return BadInput.id(token);
    }

    // ---- users -------------------------------------------------------------------------------------------

    @Property(tries = 100)
    void listUsers(@ForAll("userLists") String query) {
        ledger.send("GET /api/users", Probe.of("GET", "/api/users" + query));
    }

    @Provide
    Arbitrary<String> userLists() {
        return query(param("page", page()), param("size", size()),
                param("sort", sort("username", "email", "displayName", "role", "enabled", "createdAt")));
    }

    @Property(tries = 100)
    void oneUser(@ForAll("userIds") Id id) {
        ledger.send("GET /api/users/{id}", read("/api/users/" + id.segment(), id, ""));
    }

    @Provide
    Arbitrary<Id> userIds() {
        return BadInput.id(user, ledger.adminId);
    }

    // ---- settings, faults, notifications -----------------------------------------------------------------

    @Property(tries = 100)
    void oneSetting(@ForAll("settingKeys") String key) {
        ledger.send("GET /api/settings/app-config/{key}", Probe.of("GET", "/api/settings/app-config/" + key));
    }

    @Provide
    Arbitrary<String> settingKeys() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("Enable User Token Expiration Notifications",
                        "User Token Expiration Notification Emails", "Permanent Token Max Lifetime Days",
                        "permanent token max lifetime days", "Unknown").map(Ledger::segment)),
                Tuple.of(2, BadInput.badIdSegment()));
    }

    @Property(tries = 150)
    void listFaults(@ForAll("faultLists") String query) {
        ledger.send("GET /api/faults", Probe.of("GET", "/api/faults" + query));
    }

    @Provide
    Arbitrary<String> faultLists() {
        return query(param("status", enumValue("OPEN", "ACKNOWLEDGED", "CLEARED")), param("tokenId", uuidParam(token)),
                param("page", page()), param("size", size()),
                param("sort", sort("raisedAt", "expiresAt", "daysBefore", "status", "tokenName", "username")));
    }

    @Property(tries = 100)
    void oneFault(@ForAll("unknownIds") Id id) {
        ledger.send("GET /api/faults/{id}", read("/api/faults/" + id.segment(), id, ""));
    }

    @Property(tries = 150)
    void listNotifications(@ForAll("notificationLists") String query) {
        ledger.send("GET /api/notifications", Probe.of("GET", "/api/notifications" + query));
    }

    @Provide
    Arbitrary<String> notificationLists() {
        return query(param("status", enumValue("PENDING", "SENT", "FAILED")), param("tokenId", uuidParam(token)),
                param("recipient", textOr("ops@example.com", "%")), param("page", page()), param("size", size()),
                param("sort", sort("createdAt", "nextAttemptAt", "sentAt", "status", "recipient", "attempts")));
    }

    @Property(tries = 100)
    void oneNotification(@ForAll("unknownIds") Id id) {
        ledger.send("GET /api/notifications/{id}", read("/api/notifications/" + id.segment(), id, ""));
    }

    @Provide
    Arbitrary<Id> unknownIds() {
        return BadInput.id();
    }

    // ---- audit -------------------------------------------------------------------------------------------

    /**
     * The global log as a JSON page or, by the Accept header, a streamed export. An export always names a token
     * (the fixture's, an unknown one or a bad id), so it stays small whatever the other filters are.
     */
    @Property(tries = 250)
    void auditEvents(@ForAll("auditQueries") Tuple.Tuple2<String, String> acceptAndQuery) {
        Probe probe = Probe.of("GET", "/api/audit/events" + acceptAndQuery.get2());
        if (acceptAndQuery.get1() != null) {
            probe = probe.withHeader("Accept", acceptAndQuery.get1());
        }
        ledger.send("GET /api/audit/events", probe);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> auditQueries() {
        Arbitrary<String> filters = query(param("from", instant()), param("to", instant()),
                param("type", textOr("PermanentTokenCreated", "TokenRevoked")), param("actorId", uuidParam(user)),
                param("userId", uuidParam(user)), param("page", page()), param("size", size()),
                param("sort", sort("globalIndex", "timestamp", "type")));
        Arbitrary<String> tokenId = uuidParam(token).map(id -> "tokenId=" + Ledger.param(id));
        Arbitrary<String> json = Combinators.combine(filters, tokenId.injectNull(0.5)).as(QueryPropertiesTest::and);
        Arbitrary<String> export = Combinators.combine(filters, tokenId).as(QueryPropertiesTest::and);
        return Arbitraries.frequencyOf(
                Tuple.of(3, json.map(q -> Tuple.of((String) null, q))),
                Tuple.of(1, json.map(q -> Tuple.of("application/json", q))),
                Tuple.of(3, Combinators.combine(Arbitraries.of("application/x-ndjson", "text/csv",
                        "application/x-ndjson, text/csv;q=0.5", "text/csv;q=0", "text/csv; charset=utf-16", "text/*",
                        "application/*", "*/*", "text/html", "application/xml", "garbage", ";;;", "",
                        "application/x-ndjson;q=abc", "image/png"), export).as(Tuple::of)));
    }

    @Property(tries = 150)
    void auditHistories(@ForAll("histories") Probe probe) {
        String path = probe.path();
        String endpoint = path.startsWith("/api/audit/users/") ? "GET /api/audit/users/{id}/events"
                : path.contains("/state") ? "GET /api/audit/tokens/{id}/state" : "GET /api/audit/tokens/{id}/events";
        ledger.send(endpoint, probe);
    }

    @Provide
    Arbitrary<Probe> histories() {
        return Arbitraries.oneOf(
                BadInput.id(token).map(id -> read("/api/audit/tokens/" + id.segment() + "/events", id, "")),
                BadInput.id(user).map(id -> read("/api/audit/users/" + id.segment() + "/events", id, "")),
                Combinators.combine(BadInput.id(token), query(param("at", instant())))
                        .as((id, q) -> read("/api/audit/tokens/" + id.segment() + "/state" + q, id, q)));
    }

    /** Verification walks the whole chain: a few tries, with junk parameters and Accept headers. */
    @Property(tries = 15)
    void auditVerify(@ForAll("verifications") Probe probe) {
        ledger.send("GET /api/audit/verify", probe);
    }

    @Provide
    Arbitrary<Probe> verifications() {
        return Combinators.combine(query(param("from", instant()), param("full", textOr("true"))),
                        Arbitraries.of("application/json", "*/*", "text/csv", "application/xml", "garbage"))
                .as((q, accept) -> Probe.of("GET", "/api/audit/verify" + q).withHeader("Accept", accept));
    }

    // ---- shapes ------------------------------------------------------------------------------------------

    /** A UUID parameter: the given one, an unknown one, or no UUID (abbreviated, upper case, anything). */
    private static Arbitrary<String> uuidParam(String valid) {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(valid, valid.toUpperCase(), UUID.randomUUID().toString())),
                Tuple.of(1, Arbitraries.of("1-2-3-4-5", "not-a-uuid", valid.replace("-", ""), valid + "0", "")),
                Tuple.of(1, BadInput.text()));
    }

    /** A GET; of an unknown id without parameters (which are checked first), it must be answered 404. */
    private static Probe read(String path, Id id, String query) {
        Probe probe = Probe.of("GET", path);
        return id.unknown() && query.isEmpty() ? probe.expecting(404) : probe;
    }

    private static String and(String query, String more) {
        if (more == null) {
            return query;
        }
        return query.isEmpty() ? "?" + more : query + "&" + more;
    }
}
