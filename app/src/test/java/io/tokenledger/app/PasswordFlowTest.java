package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Changing one's password ({@code POST /api/me/password}) and an administrator's reset
 * ({@code POST /api/users/{id}/password}) over real HTTP: the password rule, and the login sessions they end.
 */
class PasswordFlowTest extends IntegrationTest {
    private static final String NEW_PASSWORD = "Violet-Harbour-Quill-17";

    @Test
    void aThiefsStolenSessionEndsWhenTheOwnerChangesThePasswordWhileTheOwnersSessionGoesOn() {
        String admin = adminToken();
        String name = unique("owner");
        String id = api.createUser(admin, name, "USER", Api.PASSWORD);
        String thief = api.login(name, Api.PASSWORD);
        String owner = api.login(name, Api.PASSWORD);
        String permanent = api.post("/api/users/" + id + "/tokens", admin, Map.of("name", "ci")).json()
                .get("token").asText();

        Api.Response changed = api.post("/api/me/password", owner,
                Map.of("currentPassword", Api.PASSWORD, "newPassword", NEW_PASSWORD));
        assertThat(changed.status()).as(changed.raw()).isEqualTo(204);

        assertThat(api.get("/api/me", thief).status()).as("the other session").isEqualTo(401);
        assertThat(api.get("/api/me", owner).status()).as("the session it was changed in").isEqualTo(200);
        assertThat(api.get("/api/me", permanent).status()).as("an API token is no login session").isEqualTo(200);
        assertThat(api.post("/api/auth/login", null, Map.of("username", name, "password", Api.PASSWORD)).status())
                .isEqualTo(401);
        String again = api.login(name, NEW_PASSWORD);
        // the kept session can change it again, which ends the session just opened
        assertThat(api.post("/api/me/password", owner,
                Map.of("currentPassword", NEW_PASSWORD, "newPassword", Api.PASSWORD)).status()).isEqualTo(204);
        assertThat(api.get("/api/me", again).status()).isEqualTo(401);
        assertThat(api.get("/api/me", owner).status()).isEqualTo(200);
        assertThat(api.get("/api/audit/events?type=TokenRevoked&size=200", admin).raw())
                .contains("PASSWORD_CHANGED");
    }

    @Test
    void aStolenSessionCannotChangeThePasswordWithoutTheCurrentOne() {
        String admin = adminToken();
        String name = unique("victim");
        api.createUser(admin, name, "USER", Api.PASSWORD);
        String thief = api.login(name, Api.PASSWORD);

        Api.Response wrong = api.post("/api/me/password", thief,
                Map.of("currentPassword", "Not-The-Password-At-All", "newPassword", NEW_PASSWORD));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(wrong.json().at("/errors/0/field").asText()).isEqualTo("currentPassword");
        assertThat(wrong.raw()).doesNotContain(NEW_PASSWORD).doesNotContain("Not-The-Password-At-All");
        assertThat(api.login(name, Api.PASSWORD)).isNotBlank();
        assertThat(api.get("/api/me", thief).status()).isEqualTo(200);
    }

    @Test
    void aShortOrBreachedNewPasswordIsRefusedNamingTheRuleAndSixtyFourCharactersAreAccepted() {
        String admin = adminToken();
        String name = unique("rules");
        api.createUser(admin, name, "USER", Api.PASSWORD);
        String session = api.login(name, Api.PASSWORD);

        Api.Response fourteen = api.post("/api/me/password", session,
                Map.of("currentPassword", Api.PASSWORD, "newPassword", "Violet-Harbour"));
        assertThat(fourteen.status()).isEqualTo(400);
        assertThat(fourteen.json().get("type").asText()).isEqualTo("urn:tokenledger:problem:weak-password");
        assertThat(fourteen.json().at("/errors/0/field").asText()).isEqualTo("newPassword");
        assertThat(fourteen.json().at("/errors/0/message").asText()).isEqualTo("must be at least 15 characters long");

        Api.Response breached = api.post("/api/me/password", session,
                Map.of("currentPassword", Api.PASSWORD, "newPassword", "1QAZ2WSX3EDC4RFV"));
        assertThat(breached.status()).isEqualTo(400);
        assertThat(breached.json().at("/errors/0/message").asText())
                .isEqualTo("is a commonly used or breached password");
        Api.Response ownName = api.post("/api/me/password", session,
                Map.of("currentPassword", Api.PASSWORD, "newPassword", "I am " + name + " and that is that"));
        assertThat(ownName.json().at("/errors/0/message").asText()).isEqualTo("must not contain the username");

        String sixtyFour = ("the quick brown fox jumps over the lazy dog " + "and naps under the old oak tree")
                .substring(0, 64);
        assertThat(sixtyFour).hasSize(64);
        assertThat(api.post("/api/me/password", session,
                Map.of("currentPassword", Api.PASSWORD, "newPassword", sixtyFour)).status()).isEqualTo(204);
        assertThat(api.login(name, sixtyFour)).isNotBlank();

        Api.Response registered = api.post("/api/users", admin, Map.of("username", unique("weak"),
                "email", "weak@example.com", "role", "USER", "password", "qwertyuiop12345"));
        assertThat(registered.status()).isEqualTo(400);
        assertThat(registered.json().at("/errors/0/field").asText()).isEqualTo("password");
        assertThat(registered.json().at("/errors/0/message").asText())
                .isEqualTo("is a commonly used or breached password");
    }

    /** 40 × é is 80 bytes in UTF-8: BCrypt refused it with a 500, and would have compared only its first 72. */
    @Test
    void fortyAccentedLettersAreAPasswordAndOneDifferingOnlyAfterByteSeventyTwoDoesNotLogIn() {
        String admin = adminToken();
        String name = unique("accent");
        String accents = "é".repeat(40);
        Api.Response created = api.post("/api/users", admin, Map.of("username", name, "email", name + "@example.com",
                "role", "USER", "password", accents));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(api.login(name, accents)).isNotBlank();
        assertThat(api.login(name, "e\u0301".repeat(40))).as("the same letters decomposed").isNotBlank();
        Api.Response variant = api.post("/api/auth/login", null,
                Map.of("username", name, "password", "é".repeat(36) + "eeee"));
        assertThat(variant.status()).isEqualTo(401);

        String session = api.login(name, accents);
        String longer = "ü".repeat(36) + "-and-then-some";
        assertThat(api.post("/api/me/password", session,
                Map.of("currentPassword", accents, "newPassword", longer)).status()).isEqualTo(204);
        assertThat(api.post("/api/auth/login", null,
                Map.of("username", name, "password", "ü".repeat(36) + "-and-then-more")).status()).isEqualTo(401);
        assertThat(api.login(name, longer)).isNotBlank();
    }

    @Test
    void anAdministratorsResetEndsEveryLoginSessionOfTheUser() {
        String admin = adminToken();
        String name = unique("reset");
        String id = api.createUser(admin, name, "USER", Api.PASSWORD);
        String one = api.login(name, Api.PASSWORD);
        String two = api.login(name, Api.PASSWORD);

        Api.Response weak = api.post("/api/users/" + id + "/password", admin, Map.of("newPassword", "too-short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().at("/errors/0/field").asText()).isEqualTo("newPassword");
        assertThat(api.get("/api/me", one).status()).isEqualTo(200);

        assertThat(api.post("/api/users/" + id + "/password", one, Map.of("newPassword", NEW_PASSWORD)).status())
                .as("not by the user").isEqualTo(403);
        Api.Response reset = api.post("/api/users/" + id + "/password", admin, Map.of("newPassword", NEW_PASSWORD));
        assertThat(reset.status()).as(reset.raw()).isEqualTo(204);
        assertThat(api.get("/api/me", one).status()).isEqualTo(401);
        assertThat(api.get("/api/me", two).status()).isEqualTo(401);
        assertThat(api.post("/api/auth/login", null, Map.of("username", name, "password", Api.PASSWORD)).status())
                .isEqualTo(401);
        assertThat(api.login(name, NEW_PASSWORD)).isNotBlank();
        assertThat(api.get("/api/me", admin).status()).as("the administrator's own session").isEqualTo(200);

        String adminId = api.get("/api/me", admin).json().get("id").asText();
        Api.Response own = api.post("/api/users/" + adminId + "/password", admin, Map.of("newPassword", NEW_PASSWORD));
        assertThat(own.status()).as("one's own password needs the current one").isEqualTo(400);
        assertThat(own.json().at("/errors/0/field").asText()).isEqualTo("currentPassword");
    }

    /**
     * Logins with the old password racing the change: each either finished before the change (and its session is
     * revoked with the others) or is refused. No session opened with the old password outlives the change.
     */
    @Test
    void loginsWithTheOldPasswordRacingTheChangeLeaveNoSessionOpen() throws Exception {
        String admin = adminToken();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                String name = unique("race");
                api.createUser(admin, name, "USER", Api.PASSWORD);
                String owner = api.login(name, Api.PASSWORD);
                // a client address of the round's own: the refused logins count against it, not against localhost
                Api client = Api.at("http://127.0.0." + (60 + round) + ":" + port);
                List<Callable<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    tasks.add(() -> {
                        Api.Response login = client.post("/api/auth/login", null,
                                Map.of("username", name, "password", Api.PASSWORD));
                        return login.status() == 200 ? login.json().get("token").asText() : null;
                    });
                }
                tasks.add(() -> {
                    assertThat(api.post("/api/me/password", owner,
                            Map.of("currentPassword", Api.PASSWORD, "newPassword", NEW_PASSWORD)).status())
                            .isEqualTo(204);
                    return null;
                });
                List<String> sessions = new ArrayList<>();
                for (Future<String> f : pool.invokeAll(tasks)) {
                    if (f.get() != null) {
                        sessions.add(f.get());
                    }
                }
                for (String session : sessions) {
                    assertThat(api.get("/api/me", session).status()).as("round " + round).isEqualTo(401);
                }
                assertThat(api.get("/api/me", owner).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
    }
}
