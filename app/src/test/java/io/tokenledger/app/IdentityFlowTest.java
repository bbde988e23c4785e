package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The walking skeleton over real HTTP: login, profile, users, errors, logout. */
class IdentityFlowTest extends IntegrationTest {

    @Test
    void loginIssuesATemporaryTokenThatAuthenticatesByHeaderAndCookie() {
        Api.Response login = api.post("/api/auth/login", null, Map.of("username", "admin", "password", ADMIN_PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        String token = login.json().get("token").asText();
        assertThat(token).matches("tlt_[0-9A-Za-z]{38}");
        assertThat(login.json().get("tokenId").asText()).isNotBlank();
        assertThat(login.json().at("/user/role").asText()).isEqualTo("ADMIN");
        String cookie = login.header("Set-Cookie");
        assertThat(cookie).startsWith("tl_session=" + token).contains("HttpOnly").contains("SameSite=Strict");

        Api.Response me = api.get("/api/me", token);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo("admin");
        assertThat(me.json().at("/temporaryToken/tokenId").asText()).isEqualTo(login.json().get("tokenId").asText());
        assertThat(me.header("Token-Expiration")).isNotBlank();

        Api.Response byCookie = api.call("GET", "/api/me", null, Map.of("Cookie", "tl_session=" + token));
        assertThat(byCookie.status()).isEqualTo(200);
        Api.Response copy = api.call("GET", "/api/me/temporary-token", null, Map.of("Cookie", "tl_session=" + token));
        assertThat(copy.status()).isEqualTo(200);
        assertThat(copy.json().get("token").asText()).isEqualTo(token);
    }

    @Test
    void wrongCredentialsGetTheSameAnswerForUnknownUsers() {
        Api.Response wrong = api.post("/api/auth/login", null, Map.of("username", "admin", "password", "nope-nope"));
        Api.Response unknown = api.post("/api/auth/login", null,
                Map.of("username", unique("ghost"), "password", "nope-nope"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.json().get("detail")).isEqualTo(unknown.json().get("detail"));
        assertThat(wrong.contentType()).startsWith("application/problem+json");
    }

    @Test
    void repeatedFailedLoginsAreRateLimited() {
        String name = unique("target");
        int status = 0;
        for (int i = 0; i < 12 && status != 429; i++) {
            status = api.post("/api/auth/login", null, Map.of("username", name, "password", "guess-" + i)).status();
        }
        Api.Response limited = api.post("/api/auth/login", null, Map.of("username", name, "password", "again"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).matches("\\d+");
        assertThat(limited.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anAdminCreatesAUserWhoCanThenLogIn() {
        String admin = adminToken();
        String name = unique("alice");
        Api.Response created = api.post("/api/users", admin, Map.of("username", name, "email", name + "@example.com",
                "displayName", "Alice", "role", "USER", "password", Api.PASSWORD));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).endsWith("/api/users/" + id);

        Api.Response one = api.get("/api/users/" + id, admin);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("username").asText()).isEqualTo(name);
        assertThat(one.json().get("role").asText()).isEqualTo("USER");
        assertThat(one.json().get("enabled").asBoolean()).isTrue();
        assertThat(one.json().has("passwordHash")).isFalse();

        Api.Response list = api.get("/api/users?size=200&sort=createdAt,desc", admin);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(list.json().get("items").findValuesAsText("username")).contains(name);

        String userToken = api.login(name, Api.PASSWORD);
        assertThat(api.get("/api/me", userToken).json().get("id").asText()).isEqualTo(id);
    }

    @Test
    void aDuplicateUsernameIsAConflictWhateverItsCase() {
        String admin = adminToken();
        String name = unique("dup");
        api.createUser(admin, name, "USER", Api.PASSWORD);
        Api.Response again = api.post("/api/users", admin, Map.of("username", name.toUpperCase(),
                "email", "x@example.com", "role", "USER", "password", Api.PASSWORD + "2"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().get("detail").asText()).contains("already taken");
    }

    @Test
    void concurrentRegistrationsOfOneNameLetExactlyOneThrough() throws Exception {
        String admin = adminToken();
        String name = unique("race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(() -> api.post("/api/users", admin, Map.of("username", name, "email", name + "@example.com",
                        "role", "USER", "password", Api.PASSWORD)).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        } finally {
            pool.shutdown();
        }
        Api.Response list = api.get("/api/users?size=200&sort=createdAt,desc", admin);
        assertThat(list.json().get("items").findValuesAsText("username").stream().filter(name::equals)).hasSize(1);
    }

    @Test
    void badInputIsA400ProblemThatNamesTheFieldAndChangesNothing() {
        String admin = adminToken();
        long before = api.get("/api/users?size=1", admin).json().get("total").asLong();

        Api.Response malformed = api.post("/api/users", admin, "{\"username\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(malformed.raw()).doesNotContain("Exception").doesNotContain("at io.");

        Api.Response badRole = api.post("/api/users", admin, Map.of("username", unique("r"), "email", "r@example.com",
                "role", "KING", "password", Api.PASSWORD));
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().at("/errors/0/field").asText()).isEqualTo("role");

        Api.Response invalid = api.post("/api/users", admin, Map.of("username", "x", "email", "not-an-email",
                "role", "USER", "password", "short"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("username", "email", "password");

        Api.Response badPaging = api.get("/api/users?size=201", admin);
        assertThat(badPaging.status()).isEqualTo(400);
        Api.Response badSort = api.get("/api/users?sort=passwordHash,asc", admin);
        assertThat(badSort.status()).isEqualTo(400);
        Api.Response badId = api.get("/api/users/not-a-uuid", admin);
        assertThat(badId.status()).isEqualTo(400);
        Api.Response unknownId = api.get("/api/users/00000000-0000-0000-0000-000000000000", admin);
        assertThat(unknownId.status()).isEqualTo(404);
        assertThat(unknownId.contentType()).startsWith("application/problem+json");

        assertThat(api.get("/api/users?size=1", admin).json().get("total").asLong()).isEqualTo(before);
    }

    @Test
    void requestsWithoutAValidTokenGet401WithABearerChallenge() {
        Api.Response none = api.get("/api/me", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.contentType()).startsWith("application/problem+json");

        String valid = TokenSecret.generate(TokenKind.PERMANENT).reveal();
        String badChecksum = valid.substring(0, 41) + (valid.charAt(41) == 'a' ? 'b' : 'a');
        for (String token : List.of(badChecksum, valid, "tlp_short", "x".repeat(10_000))) {
            Api.Response response = api.get("/api/me", token);
            assertThat(response.status()).as(token.length() > 50 ? "long token" : token).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
        }
        assertThat(api.call("GET", "/api/me", null, Map.of("Authorization", "Basic YWRtaW46YWRtaW4=")).status())
                .isEqualTo(401);
    }

    @Test
    void aUserCannotUseAdminEndpoints() {
        String admin = adminToken();
        String name = unique("bob");
        api.createUser(admin, name, "USER", Api.PASSWORD);
        String user = api.login(name, Api.PASSWORD);
        Api.Response create = api.post("/api/users", user, Map.of("username", unique("eve"), "email", "e@example.com",
                "role", "ADMIN", "password", Api.PASSWORD));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/users", user).status()).isEqualTo(403);
        assertThat(api.get("/api/me", user).status()).isEqualTo(200);
    }

    @Test
    void anAuditorReadsUsersButCannotCreateThem() {
        String admin = adminToken();
        String name = unique("audit");
        api.createUser(admin, name, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(name, Api.PASSWORD);
        assertThat(api.get("/api/users", auditor).status()).isEqualTo(200);
        assertThat(api.post("/api/users", auditor, Map.of("username", unique("x"), "email", "x@example.com",
                "role", "USER", "password", Api.PASSWORD)).status()).isEqualTo(403);
    }

    @Test
    void logoutRevokesTheSessionTokenAtOnce() {
        String token = adminToken();
        assertThat(api.get("/api/me", token).status()).isEqualTo(200);
        Api.Response logout = api.post("/api/auth/logout", token, null);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie")).contains("Max-Age=0");
        Api.Response after = api.get("/api/me", token);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("detail").asText()).contains("revoked");
    }

    @Test
    void cookieAuthenticatedWritesNeedTheCsrfToken() {
        String token = adminToken();
        Api.Response withoutCsrf = api.call("POST", "/api/auth/logout", null, Map.of("Cookie", "tl_session=" + token));
        assertThat(withoutCsrf.status()).isEqualTo(403);
        assertThat(api.get("/api/me", token).status()).isEqualTo(200);
    }

    @Test
    void disablingAUserRefusesTheirTokensAndLoginsAndEnablingRestoresLogin() {
        String admin = adminToken();
        String name = unique("carol");
        String id = api.createUser(admin, name, "USER", Api.PASSWORD);
        String session = api.login(name, Api.PASSWORD);
        assertThat(api.get("/api/me", session).status()).isEqualTo(200);

        Api.Response disabled = api.post("/api/users/" + id + "/disable", admin, null);
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(api.get("/api/me", session).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/login", null, Map.of("username", name, "password", Api.PASSWORD)).status())
                .isEqualTo(401);

        assertThat(api.post("/api/users/" + id + "/enable", admin, null).json().get("enabled").asBoolean()).isTrue();
        assertThat(api.get("/api/me", api.login(name, Api.PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void changingARoleTakesEffectOnTheNextRequest() {
        String admin = adminToken();
        String name = unique("dave");
        String id = api.createUser(admin, name, "USER", Api.PASSWORD);
        String session = api.login(name, Api.PASSWORD);
        assertThat(api.get("/api/users", session).status()).isEqualTo(403);
        Api.Response changed = api.put("/api/users/" + id + "/role", admin, Map.of("role", "AUDITOR"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("role").asText()).isEqualTo("AUDITOR");
        assertThat(api.get("/api/users", session).status()).isEqualTo(200);
    }

    @Test
    void anAdminCannotDisableThemselves() {
        String admin = adminToken();
        String id = api.get("/api/me", admin).json().get("id").asText();
        Api.Response response = api.post("/api/users/" + id + "/disable", admin, null);
        assertThat(response.status()).isEqualTo(409);
        assertThat(api.get("/api/me", admin).status()).isEqualTo(200);
    }
}
