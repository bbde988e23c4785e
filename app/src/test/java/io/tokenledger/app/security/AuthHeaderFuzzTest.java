package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.query.credential.CredentialLookup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContextManager;

/**
 * Authorization headers and session cookies that cannot be a valid credential (empty, another scheme, "Bearer"
 * alone, a wrong checksum or prefix or length, 10 KB, control bytes, non-ASCII, two headers at once), sent byte for
 * byte to every kind of endpoint: each is a 401 problem with a Bearer challenge (never Tomcat's 400, never a 500),
 * and none reaches the credential store. The store is reached only through {@link CredentialLookup#find}, whose
 * cache counts every call (a hit or a miss) and every miss (a database query): neither count may move.
 * The application is the cached Spring context every integration test shares, fetched through Spring's
 * {@link TestContextManager} since jqwik runs these properties, not Jupiter.
 */
class AuthHeaderFuzzTest extends IntegrationTest {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong LOOKUPS = new AtomicLong();
    private static ApplicationContext context;
    private static List<String> validTokens;

    private ApplicationContext context() {
        if (context == null) {
            try {
                context = new TestContextManager(getClass()).getTestContext().getApplicationContext();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return context;
    }

    private int serverPort() {
        return Integer.parseInt(context().getEnvironment().getRequiredProperty("local.server.port"));
    }

    private CacheStats lookups() {
        return context().getBean(CredentialLookup.class).cache().stats();
    }

    /** Real tokens of the running application: a login session's and a permanent one, to present malformed. */
    private List<String> validTokens() {
        if (validTokens == null) {
            Api api = new Api(serverPort());
            String admin = api.login("admin", ADMIN_PASSWORD);
            String userId = api.createUser(admin, unique("fuzzed"), "ADMIN", Api.PASSWORD);
            String permanent = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "fuzz"))
                    .json().get("token").asText();
            validTokens = List.of(admin, permanent);
        }
        return validTokens;
    }

    /** One malformed credential: what kind it is, the header lines that carry it, and a printable summary. */
    record Attempt(String kind, List<byte[]> lines, String shown) {
        @Override
        public String toString() {
            return kind + ": " + shown;
        }
    }

    private static Attempt header(String kind, String value) {
        return new Attempt(kind, List.of(RawHttp.line("Authorization", value)), printable(value));
    }

    private static Attempt cookie(String kind, String value) {
        return new Attempt(kind, List.of(RawHttp.line("Cookie", "tl_session=" + value)), printable(value));
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(80).forEach(cp -> out.append(cp < 0x20 || cp == 0x7F
                ? String.format("\\x%02x", cp) : new String(Character.toChars(cp))));
        return out + (value.length() > 80 ? "... (" + value.length() + " chars)" : "");
    }

    // --- generators ---

    private Arbitrary<String> validToken() {
        return Arbitraries.of(validTokens());
    }

    private static Arbitrary<String> base62(int min, int max) {
        return Arbitraries.strings().withChars(BASE62.toCharArray()).ofMinLength(min).ofMaxLength(max);
    }

    /** A token shape with a checksum that does not match. */
    private static Arbitrary<String> badChecksum() {
        return Combinators.combine(Arbitraries.of("tlp_", "tlt_"), base62(38, 38)).as(String::concat)
                .filter(t -> TokenSecret.parse(t).isEmpty());
    }

    /**
     * Control bytes other than CR and LF, which end the header line rather than belong to its value, and tab, which
     * HTTP allows around a value (so a valid token with a tab after it is still that token).
     */
    private static Arbitrary<String> controlByte() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u0008'),
                        Arbitraries.chars().range('\u000B', '\u000C'), Arbitraries.chars().range('\u000E', '\u001F'),
                        Arbitraries.of('\u007F'))
                .map(String::valueOf);
    }

    /** Latin-1 bytes, multi-byte UTF-8 and characters beyond the BMP. */
    private static Arbitrary<String> nonAscii() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0x80, 0xFF),
                        Arbitraries.integers().between(0x100, 0x7FF), Arbitraries.integers().between(0x4E00, 0x9FFF),
                        Arbitraries.integers().between(0x1F600, 0x1F64F))
                .map(Character::toString);
    }

    private static Arbitrary<String> inserted(Arbitrary<String> token, Arbitrary<String> extra) {
        return Combinators.combine(token, extra, Arbitraries.integers().between(0, TokenSecret.LENGTH))
                .as((t, x, at) -> t.substring(0, at) + x + t.substring(at));
    }

    @Provide
    Arbitrary<Attempt> malformedAuthorization() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "   ", "\t").map(v -> header("empty", v)),
                Combinators.combine(Arbitraries.of("Basic ", "Token ", "Digest ", "Negotiate ", "Bearer:", "Bearer,",
                                "Bearer=", "Beare ", "Bearer", "X ", ""), validToken())
                        .as((scheme, t) -> header("wrong scheme", scheme + t)),
                Arbitraries.of("Bearer", "Bearer ", "bearer", "BEARER   ", "Bearer \t ")
                        .map(v -> header("bearer alone", v)),
                badChecksum().map(t -> header("bad checksum", "Bearer " + t)),
                Combinators.combine(Arbitraries.of("tlx_", "TLP_", "tlp-", "tl_", "tlpp", "xyz_", "tlt ", "tp_"),
                                base62(38, 38)).as((p, body) -> header("wrong prefix", "Bearer " + p + body)),
                Combinators.combine(Arbitraries.of("tlp_", "tlt_"), base62(0, 120).filter(b -> b.length() != 38))
                        .as((p, body) -> header("wrong length", "Bearer " + p + body)),
                Combinators.combine(Arbitraries.of("Bearer ", "Bearer tlp_", ""),
                                Arbitraries.strings().withCharRange('!', '~').ofMinLength(10_240).ofMaxLength(10_500))
                        .as((p, junk) -> header("10 KB", p + junk)),
                inserted(validToken(), controlByte()).map(t -> header("control byte", "Bearer " + t)),
                Combinators.combine(validToken(), controlByte())
                        .as((t, c) -> header("control byte", "Bearer " + t + c)),
                inserted(validToken(), nonAscii()).map(t -> header("non-ASCII", "Bearer " + t)),
                Combinators.combine(validToken(), Arbitraries.oneOf(validToken(), badChecksum()))
                        .as((a, b) -> new Attempt("two headers", List.of(RawHttp.line("Authorization", "Bearer " + a),
                                RawHttp.line("Authorization", "Bearer " + b)), "two Authorization headers")));
    }

    @Provide
    Arbitrary<Attempt> junkCookie() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(0).ofMaxLength(60)
                        .map(v -> cookie("junk", v)),
                badChecksum().map(t -> cookie("bad checksum", t)),
                inserted(validToken(), controlByte()).map(t -> cookie("control byte", t)),
                inserted(validToken(), nonAscii()).map(t -> cookie("non-ASCII", t)),
                Arbitraries.strings().withChars(BASE62.toCharArray()).ofLength(10_240).map(v -> cookie("10 KB", v)));
    }

    @Provide
    Arbitrary<String[]> anyEndpoint() {
        return Arbitraries.of(new String[] {"GET", "/api/me"}, new String[] {"GET", "/api/users"},
                new String[] {"GET", "/api/tokens/self"}, new String[] {"POST", "/api/auth/login"},
                new String[] {"POST", "/api/auth/logout"}, new String[] {"GET", "/actuator/health"},
                new String[] {"GET", "/actuator/prometheus"}, new String[] {"GET", "/v3/api-docs"},
                new String[] {"GET", "/profile"}, new String[] {"GET", "/api/no-such-endpoint"});
    }

    @Provide
    Arbitrary<String> protectedApi() {
        return Arbitraries.of("/api/me", "/api/users", "/api/tokens/self", "/api/me/temporary-token");
    }

    // --- properties ---

    @Property(tries = 300, afterFailure = AfterFailureMode.RANDOM_SEED)
    void aMalformedAuthorizationHeaderIsA401ProblemAndNeverLookedUp(
            @ForAll("malformedAuthorization") Attempt attempt, @ForAll("anyEndpoint") String[] endpoint) {
        Statistics.label("kind").collect(attempt.kind());
        assertRefusedWithoutLookup(attempt, endpoint[0], endpoint[1]);
    }

    @Property(tries = 150, afterFailure = AfterFailureMode.RANDOM_SEED)
    void aJunkSessionCookieIsA401ProblemAndNeverLookedUp(@ForAll("junkCookie") Attempt attempt,
                                                         @ForAll("protectedApi") String path) {
        Statistics.label("kind").collect(attempt.kind());
        assertRefusedWithoutLookup(attempt, "GET", path);
    }

    /** The control: a well-formed token with a valid checksum is looked up, once, and is then unknown. */
    @Example
    void aWellFormedButUnknownTokenIsLookedUpOnceInTheDatabase() {
        String unknown = TokenSecret.generate(TokenKind.PERMANENT).reveal();
        CacheStats before = lookups();
        RawHttp.Response response = RawHttp.send("localhost", serverPort(), "GET", "/api/me",
                List.of(RawHttp.line("Authorization", "Bearer " + unknown)));
        CacheStats after = lookups();
        assertThat(response.status()).isEqualTo(401);
        assertThat(after.requestCount() - before.requestCount()).isEqualTo(1);
        assertThat(after.missCount() - before.missCount()).as("database queries").isEqualTo(1);
    }

    /** Two Authorization headers are refused even when both carry the same valid token. */
    @Example
    void twoAuthorizationHeadersAreRefusedEvenIfBothAreValid() {
        String token = validTokens().get(1);
        assertThat(RawHttp.send("localhost", serverPort(), "GET", "/api/me",
                List.of(RawHttp.line("Authorization", "Bearer " + token))).status()).isEqualTo(200);
        assertRefusedWithoutLookup(new Attempt("two headers", List.of(RawHttp.line("Authorization", "Bearer " + token),
                RawHttp.line("Authorization", "Bearer " + token)), "the same valid token twice"), "GET", "/api/me");
    }

    /** Tomcat would log a Cookie header with an invalid cookie whole, the valid session cookie beside it too. */
    @Example
    void aCookieHeaderWithAnInvalidCookieBesideTheSessionIsNotLogged() {
        String token = validTokens().get(0);
        RawHttp.Response response = RawHttp.send("localhost", serverPort(), "GET", "/api/me",
                List.of(RawHttp.line("Cookie", "tl_session=" + token + "; theme=\"dark")));
        assertThat(response.status()).isIn(200, 401);
        // report() searches the log for the token once every property has run
    }

    private void assertRefusedWithoutLookup(Attempt attempt, String method, String path) {
        CacheStats before = lookups();
        RawHttp.Response response = RawHttp.send("localhost", serverPort(), method, path, attempt.lines());
        CacheStats after = lookups();
        INPUTS.incrementAndGet();
        LOOKUPS.addAndGet(after.requestCount() - before.requestCount());

        String where = method + " " + path + " with " + attempt;
        assertThat(response.status()).as(where + " -> " + response.body()).isEqualTo(401);
        assertThat(response.header("Content-Type")).as(where).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).as(where).startsWith("Bearer");
        JsonNode problem;
        try {
            problem = JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(where + ": not JSON: " + response.body(), e);
        }
        assertThat(problem.path("status").asInt()).as(where).isEqualTo(401);
        assertThat(problem.path("type").asText()).as(where).isNotEmpty();
        assertThat(problem.path("title").asText()).as(where).isNotEmpty();
        assertThat(problem.path("detail").asText()).as(where).isNotEmpty();
        assertThat(response.body()).as(where).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(after.requestCount() - before.requestCount()).as(where + ": credential lookups").isZero();
        assertThat(after.missCount() - before.missCount()).as(where + ": database queries").isZero();
    }

    /** The valid tokens were sent malformed a few hundred times: no log line may hold one. */
    @AfterContainer
    static void report() throws java.io.IOException {
        System.out.printf("auth header fuzz: %d malformed credentials sent, %d credential lookups observed%n",
                INPUTS.get(), LOOKUPS.get());
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("tokenledger.test-log",
                "target/test-logs/suite.log"));
        if (validTokens != null && java.nio.file.Files.exists(log)) {
            String lines = java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String token : validTokens) {
                assertThat(lines.contains(token)).as("a fuzzed token in " + log).isFalse();
            }
        }
    }
}
