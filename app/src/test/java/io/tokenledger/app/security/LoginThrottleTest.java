package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.IntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Failed logins are counted before the password is checked, per username and client, per username and per client,
 * through the REST login and the console's form alike, on an instance of its own with small limits (3 per username
 * and client, 6 per username before delays of 1 s doubling up to 4 s, 8 per client, a 6 s window) so that the shared
 * admin is never locked out. Each test calls from loopback addresses of its own (127.0.0.x), so each is a client of
 * its own. IdentityFlowTest has the plain case on the shared instance.
 */
class LoginThrottleTest extends IntegrationTest {
    private static final int PER_PAIR = 3;
    private static final int PER_USER = 6;
    private static final int PER_CLIENT = 8;
    private static final int WINDOW_SECONDS = 6;
    private static final int MAX_DELAY_SECONDS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConfigurableApplicationContext instance;
    private static int port;

    /** Once the shared context (and with it the embedded database) is up, which it is by the first test. */
    @BeforeEach
    void startInstance() {
        if (instance != null) {
            return;
        }
        instance = Instances.start("--tokenledger.login.max-failures-per-user-and-client=" + PER_PAIR,
                "--tokenledger.login.max-failures-per-user=" + PER_USER,
                "--tokenledger.login.max-failures-per-client=" + PER_CLIENT,
                "--tokenledger.login.failure-window=" + WINDOW_SECONDS + "s",
                "--tokenledger.login.first-delay=1s", "--tokenledger.login.max-delay=" + MAX_DELAY_SECONDS + "s");
        port = Instances.port(instance);
    }

    @AfterAll
    static void stopInstance() {
        if (instance != null) {
            instance.close();
        }
    }

    private String user() {
        return user("throttled");
    }

    private String user(String prefix) {
        String name = unique(prefix);
        api.createUser(adminToken(), name, "USER", Api.PASSWORD);
        return name;
    }

    private static RawHttp.Response login(String from, String username, String password) {
        byte[] body = Api.json(Map.of("username", username, "password", password)).getBytes(StandardCharsets.UTF_8);
        return RawHttp.send(from, port, "POST", "/api/auth/login",
                List.of(RawHttp.line("Content-Type", "application/json")), body);
    }

    /** The console's form from that client, as a browser there posts it: its page first, then the form. */
    private static RawHttp.Response form(String from, String username, String password) {
        RawHttp.Response page = RawHttp.send(from, port, "GET", "/login", List.of(), new byte[0]);
        Api.LoginForm form = Api.LoginForm.of(page.headers().getOrDefault("set-cookie", List.of()), page.body());
        byte[] body = ("username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + form.csrf())
                .getBytes(StandardCharsets.US_ASCII);
        return RawHttp.send(from, port, "POST", "/login",
                List.of(RawHttp.line("Content-Type", "application/x-www-form-urlencoded"),
                        RawHttp.line("Cookie", form.cookie())), body);
    }

    private static long assertThrottled(RawHttp.Response response) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(429);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("detail").asText()).contains("too many failed logins");
        assertThat(response.header("Retry-After")).matches("\\d+");
        long retryAfter = Long.parseLong(response.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, (long) WINDOW_SECONDS);
        return retryAfter;
    }

    @Test
    void failuresLockThatClientOutForTheUserEvenForTheRightPasswordUntilTheWindowHasPassed() throws Exception {
        String name = user();
        String from = "127.0.0.2";
        for (int i = 0; i < PER_PAIR; i++) {
            assertThat(login(from, name, "wrong-" + i).status()).isEqualTo(401);
        }
        long first = assertThrottled(login(from, name, Api.PASSWORD));
        Thread.sleep(2_100);
        long later = assertThrottled(login(from, name, Api.PASSWORD));
        assertThat(later).as("Retry-After is the time that remains, not the whole window")
                .isLessThanOrEqualTo(first - 2);

        String other = user();
        assertThat(login(from, other, Api.PASSWORD).status()).as("another user of the same client").isEqualTo(200);

        Thread.sleep(later * 1_000 + 300);
        assertThat(login(from, name, Api.PASSWORD).status()).as("after Retry-After").isEqualTo(200);
    }

    @Test
    void theConsoleFormAndTheRestLoginCountTheSameFailures() throws Exception {
        String name = user();
        String from = "127.0.0.3";
        assertThat(login(from, name, "wrong-1").status()).isEqualTo(401);
        assertThat(login(from, name, "wrong-2").status()).isEqualTo(401);
        assertThat(form(from, name, "wrong-3").status()).isEqualTo(401);

        RawHttp.Response page = form(from, name, Api.PASSWORD);
        assertThat(page.status()).isEqualTo(429);
        assertThat(page.header("Retry-After")).matches("\\d+");
        assertThat(Long.parseLong(page.header("Retry-After"))).isBetween(1L, (long) WINDOW_SECONDS);
        assertThat(page.body()).contains("Too many failed logins. Try again in 1 minute.");
        assertThat(page.headers().getOrDefault("set-cookie", List.of())).as("no session")
                .noneMatch(c -> c.startsWith("tl_session="));
        assertThrottled(login(from, name, Api.PASSWORD));
    }

    @Test
    void aClientTryingManyUsernamesIsThrottledWhateverTheName() throws Exception {
        String from = "127.0.0.4";
        for (int i = 0; i < PER_CLIENT; i++) {
            assertThat(login(from, unique("guess"), Api.PASSWORD).status()).isEqualTo(401);
        }
        assertThrottled(login(from, unique("guess"), Api.PASSWORD));
        String name = user();
        assertThrottled(login(from, name, Api.PASSWORD));
        assertThat(login("127.0.0.5", name, Api.PASSWORD).status()).as("from another client").isEqualTo(200);
    }

    @Test
    void aSuccessfulLoginResetsTheCountOfItsUser() throws Exception {
        String name = user();
        String from = "127.0.0.6";
        assertThat(login(from, name, "wrong-1").status()).isEqualTo(401);
        assertThat(login(from, name, "wrong-2").status()).isEqualTo(401);
        assertThat(login(from, name, Api.PASSWORD).status()).isEqualTo(200);
        // Without the reset, the second of these would already be refused (2 + 1 failures before it).
        for (int i = 0; i < PER_PAIR; i++) {
            assertThat(login(from, name, "again-" + i).status()).as("failure %d after the success", i + 1)
                    .isEqualTo(401);
        }
        assertThrottled(login(from, name, Api.PASSWORD));
    }

    @Test
    void anUnknownUserGetsExactlyTheAnswersOfAKnownOne() throws Exception {
        String known = user();
        String unknown = unique("nobody");
        for (int i = 0; i <= PER_PAIR; i++) {
            RawHttp.Response a = login("127.0.0.7", known, "wrong-" + i);
            RawHttp.Response b = login("127.0.0.8", unknown, "wrong-" + i);
            assertThat(b.status()).as("attempt %d", i + 1).isEqualTo(a.status());
            assertThat(JSON.readTree(b.body())).as("attempt %d", i + 1).isEqualTo(JSON.readTree(a.body()));
            assertThat(b.header("WWW-Authenticate")).isEqualTo(a.header("WWW-Authenticate"));
        }
        assertThrottled(login("127.0.0.8", unknown, Api.PASSWORD));
    }

    /**
     * The attack: ten wrong guesses for carol from anywhere locked carol's right password out for 15 minutes. Now the
     * guesser's client is refused for that username, and carol logs in from her own.
     */
    @Test
    void wrongGuessesFromOneClientDoNotLockTheOwnerOutOfAnother() throws Exception {
        String carol = user("carol");
        String attacker = "127.0.0.12";
        for (int i = 0; i < PER_PAIR; i++) {
            assertThat(login(attacker, carol, "guess-" + i).status()).isEqualTo(401);
        }
        assertThrottled(login(attacker, carol, Api.PASSWORD));
        assertThat(login("127.0.0.13", carol, Api.PASSWORD).status()).as("carol from her own client").isEqualTo(200);
        assertThrottled(login(attacker, carol, Api.PASSWORD));
    }

    /**
     * The attack: guessing one username from many addresses, each below its own limit. After the username's free
     * failures every further attempt, from any client, waits a delay that doubles with each failure, up to the cap.
     */
    @Test
    void guessesFromManyClientsMeetADelayThatGrowsUpToItsCap() throws Exception {
        String name = user("spread");
        int client = 40;
        for (int i = 0; i < PER_USER; i++) {
            assertThat(login("127.0.0." + client++, name, "guess-" + i).status()).isEqualTo(401);
        }
        List<Long> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long wait = assertThrottled(login("127.0.0." + client++, name, "guess"));
            delays.add(wait);
            Thread.sleep(wait * 1_000 + 100);
            assertThat(login("127.0.0." + client++, name, "guess-after-" + i).status()).isEqualTo(401);
        }
        assertThat(delays).as("seconds to wait after each failure past the free ones").containsExactly(1L, 2L, 4L,
                (long) MAX_DELAY_SECONDS);
        long wait = assertThrottled(login("127.0.0." + client, name, Api.PASSWORD));
        assertThat(wait).as("the owner waits at most the cap").isLessThanOrEqualTo(MAX_DELAY_SECONDS);
        Thread.sleep(wait * 1_000 + 100);
        assertThat(login("127.0.0." + client, name, Api.PASSWORD).status()).isEqualTo(200);
        assertThat(login("127.0.0." + (client + 1), name, "guess").status()).as("the success started the count again")
                .isEqualTo(401);
    }

    /**
     * The attack: sixty concurrent guesses of one username from one client, all checked before any was counted (58
     * of 60 got a password check). Each is now counted before its password is checked: exactly the limit get one.
     */
    @Test
    void concurrentGuessesAreCountedBeforeAnyPasswordIsChecked() throws Exception {
        String name = user();
        String from = "127.0.0.20";
        int guesses = 60;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(guesses);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < guesses; i++) {
                String guess = "guess-" + i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return login(from, name, guess).status();
                }));
            }
            go.countDown();
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
            assertThat(statuses).as("answers to %d concurrent guesses", guesses)
                    .containsExactlyInAnyOrderEntriesOf(Map.of(401, PER_PAIR, 429, guesses - PER_PAIR));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The attack: {@code al\u0131ce} (a dotless i) was counted apart from {@code alice} by the throttle but found
     * alice at the lookup, so it logged in as alice past her lock-out. One canonical form now serves both.
     */
    @Test
    void aUsernameThatFoldsToALockedOutOneIsLockedOutToo() throws Exception {
        String alice = user("alice");
        String dotless = alice.replace('i', '\u0131');
        String from = "127.0.0.21";
        assertThat(login(from, dotless, Api.PASSWORD).status()).as("the same user by another spelling").isEqualTo(200);
        for (int i = 0; i < PER_PAIR; i++) {
            assertThat(login(from, i % 2 == 0 ? alice : alice.toUpperCase(), "guess-" + i).status()).isEqualTo(401);
        }
        assertThrottled(login(from, dotless, Api.PASSWORD));
        assertThrottled(login(from, "\uFF41" + alice.substring(1), Api.PASSWORD)); // a full-width a
        assertThrottled(login(from, alice, Api.PASSWORD));
    }
}
