package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.query.credential.CredentialLookup;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A token in the URL is refused on every path, before anything else happens (no CSRF check, no lookup, no use
 * recorded, no login), with a 401 that tells the client to use the Authorization header, and the plaintext is
 * neither echoed nor logged: URLs end up in proxy logs, browser histories and Referer headers.
 */
class TokenInUrlTest extends IntegrationTest {
    private static final List<String[]> PATHS = List.of(new String[] {"GET", "/api/me"},
            new String[] {"GET", "/api/tokens"}, new String[] {"POST", "/api/auth/login"},
            new String[] {"POST", "/api/auth/logout"}, new String[] {"GET", "/api/stream/tokens"},
            new String[] {"GET", "/actuator/health"}, new String[] {"GET", "/actuator/prometheus"},
            new String[] {"GET", "/v3/api-docs"}, new String[] {"GET", "/login"}, new String[] {"POST", "/login"},
            new String[] {"GET", "/profile"}, new String[] {"GET", "/css/console.css"},
            new String[] {"GET", "/no-such-page"}, new String[] {"DELETE", "/api/no-such-endpoint"});

    @Autowired
    CredentialLookup credentials;

    @Test
    void aTokenInTheQueryIsRefusedOnEveryPathWithoutBeingLookedUpUsedOrEchoed() throws IOException {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("in-url"), "ADMIN", Api.PASSWORD);
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "pasted"));
        String token = created.json().get("token").asText();
        String tokenId = created.json().get("id").asText();
        String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8).replace("t", "%74");
        List<String> queries = List.of("access_token=" + token, "token=" + token, "ACCESS_TOKEN=" + token,
                "access_token=", "token", "q=" + token, "page=0&size=5&filter=" + token, "x=" + encoded,
                "q=prefix-" + token.substring(0, 24), "access_token=" + token + "&token=" + token);

        CacheStats before = credentials.cache().stats();
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (String[] endpoint : PATHS) {
            for (String query : queries) {
                // The valid token in the header and the session cookie change nothing: the URL alone decides.
                for (Map<String, String> headers : List.of(Map.<String, String>of(),
                        Map.of("Authorization", "Bearer " + admin), Map.of("Cookie", "tl_session=" + admin))) {
                    Api.Response response = api.call(endpoint[0], endpoint[1] + "?" + query,
                            endpoint[0].equals("GET") || endpoint[0].equals("DELETE") ? null : "{}", headers);
                    requests++;
                    String where = endpoint[0] + " " + endpoint[1] + "?" + query.replace(token, "<token>")
                            + " " + headers.keySet();
                    if (response.status() != 401) {
                        failures.add(where + ": " + response.status());
                        continue;
                    }
                    String challenge = response.header("WWW-Authenticate");
                    if (challenge == null || !challenge.startsWith("Bearer")
                            || !challenge.contains("error=\"invalid_request\"")) {
                        failures.add(where + ": challenge " + challenge);
                    }
                    if (!String.valueOf(response.contentType()).startsWith("application/problem+json")
                            || !response.json().path("detail").asText().contains("Authorization header")
                            || response.json().path("status").asInt() != 401) {
                        failures.add(where + ": " + response.raw());
                    }
                    String part = token.substring(4, 20);
                    if (response.raw().contains(part) || response.headers().toString().contains(part)) {
                        failures.add(where + ": the token is echoed");
                    }
                }
            }
        }
        CacheStats after = credentials.cache().stats();
        assertThat(failures).as("%d requests", requests).isEmpty();
        assertThat(after.requestCount() - before.requestCount()).as("credential lookups").isZero();
        assertThat(api.get("/api/tokens/" + tokenId, admin).json().path("lastUsedAt").isNull())
                .as("the token was not recorded as used").isTrue();
        System.out.printf("token in URL: %d requests on %d paths refused%n", requests, PATHS.size());

        Path log = Path.of(System.getProperty("tokenledger.test-log", "target/test-logs/suite.log"));
        if (Files.exists(log)) {
            assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as("the suite's log")
                    .doesNotContain(token.substring(4));
        }
    }

    @Test
    void aTokenInTheUrlIsRefusedBeforeTheCsrfCheckOfACookieWrite() {
        String session = adminToken();
        Api.Response response = api.call("POST", "/api/auth/logout?access_token=" + session, null,
                Map.of("Cookie", "tl_session=" + session));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_request\"");
        assertThat(api.get("/api/me", session).status()).as("the session is not logged out").isEqualTo(200);
    }

    @Test
    void queriesThatOnlyResembleATokenAreServed() {
        String admin = adminToken();
        // A token's hint, as lists show it, and a name search with a token-like prefix are not tokens.
        String hint = URLEncoder.encode("tlp_\u2026abcd", StandardCharsets.UTF_8);
        assertThat(api.get("/api/tokens?q=" + hint, admin).status()).isEqualTo(200);
        assertThat(api.get("/api/tokens?q=tlp_deploy", admin).status()).isEqualTo(200);
        assertThat(api.get("/api/users?sort=username,asc&page=0", admin).status()).isEqualTo(200);
    }
}
