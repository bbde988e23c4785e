package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/stream/tokens} pushes token changes as server-sent events, each to whoever may see it now: a stream
 * ends when its token or its user's authority does, sends heartbeats, and a user holds a few at most.
 */
class TokenStreamTest extends IntegrationTest {

    @Test
    void aRevocationIsStreamedToAdminsButNotToOtherUsers() throws Exception {
        String admin = adminToken();
        String name = unique("stream");
        String userId = api.createUser(admin, name, "USER", Api.PASSWORD);
        String other = unique("other");
        api.createUser(admin, other, "USER", Api.PASSWORD);
        String otherSession = api.login(other, Api.PASSWORD);
        var created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "live")).json();
        String tokenId = created.get("id").asText();

        List<String> adminLines = subscribe(listeningAdmin(admin));
        List<String> otherLines = subscribe(otherSession);
        // a use is no change of the token: it is written, and streamed with the token's next change only
        assertThat(api.get("/api/tokens/self", created.get("token").asText()).status()).isEqualTo(200);
        long written = System.currentTimeMillis() + 10_000;
        while (api.get("/api/tokens/" + tokenId, admin).json().path("lastUsedAt").isNull()) {
            assertThat(System.currentTimeMillis()).as("use written in time").isLessThan(written);
            Thread.sleep(50);
        }
        api.post("/api/tokens/" + tokenId + "/revoke", admin, Map.of("reason", "watch"));

        long deadline = System.currentTimeMillis() + 10_000;
        while (adminLines.stream().noneMatch(l -> l.contains(tokenId) && l.contains("REVOKED"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(adminLines).anyMatch(l -> l.startsWith("data:") && l.contains(tokenId) && l.contains("\"REVOKED\""));
        assertThat(adminLines).as("the use streamed")
                .noneMatch(l -> l.contains(tokenId) && l.contains("\"ACTIVE\"") && l.contains("127.0.0.1"));
        assertThat(adminLines).contains("event:token");
        assertThat(otherLines).noneMatch(l -> l.contains(tokenId));
    }

    /** Nothing lost: every token created by several clients at once reaches a subscriber's stream. */
    @Test
    void everyTokenCreatedByConcurrentClientsReachesTheStream() throws Exception {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("burst"), "USER", Api.PASSWORD);
        List<String> lines = subscribe(listeningAdmin(admin));
        List<String> created = new CopyOnWriteArrayList<>();
        int clients = 4;
        int each = 60;
        List<CompletableFuture<Void>> writers = new java.util.ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    Api.Response response = api.post("/api/users/" + userId + "/tokens", admin,
                            Map.of("name", "burst-" + client + "-" + i));
                    assertThat(response.status()).isEqualTo(201);
                    created.add(response.json().get("id").asText());
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        long deadline = System.currentTimeMillis() + 15_000;
        java.util.Set<String> missing = new java.util.HashSet<>(created);
        while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
            lines.forEach(l -> missing.removeIf(id -> l.startsWith("data:") && l.contains(id)));
            Thread.sleep(50);
        }
        assertThat(created).hasSize(clients * each);
        assertThat(missing).as("tokens created but never streamed").isEmpty();
    }

    /**
     * The attack: an auditor whose account was disabled kept its stream and kept receiving other users' token
     * names, owners and revoke reasons. The stream must close as soon as the auditor is disabled, and nothing
     * changed after that may reach it.
     */
    @Test
    void aDisabledAuditorIsCutOffAndSeesNoMoreOfOtherUsersTokens() throws Exception {
        String admin = adminToken();
        String auditorName = unique("auditor");
        String auditorId = api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String userId = api.createUser(admin, unique("watched"), "USER", Api.PASSWORD);
        Listening auditor = listen(api.login(auditorName, Api.PASSWORD));
        String before = createToken(admin, userId, "before");
        auditor.await(l -> l.contains(before), "the auditor sees other users' tokens while enabled");

        assertThat(api.post("/api/users/" + auditorId + "/disable", admin, null).status()).isEqualTo(200);
        String after = createToken(admin, userId, "after-disable");
        api.post("/api/tokens/" + before + "/revoke", admin, Map.of("reason", "secret-reason-" + before));

        auditor.awaitClosed("the disabled auditor's stream");
        assertThat(auditor.lines()).noneMatch(l -> l.contains(after) || l.contains("secret-reason-" + before));
    }

    /**
     * The attack: an admin demoted to USER kept the stream opened as an admin and kept receiving every user's
     * changes. The stream must close at the role change, and the demoted user sees no one else's token after it.
     */
    @Test
    void aDemotedAdminIsCutOffAndSeesNoMoreOfOtherUsersTokens() throws Exception {
        String admin = adminToken();
        String formerName = unique("demoted");
        String formerId = api.createUser(admin, formerName, "ADMIN", Api.PASSWORD);
        String userId = api.createUser(admin, unique("watched"), "USER", Api.PASSWORD);
        Listening former = listen(api.login(formerName, Api.PASSWORD));
        String before = createToken(admin, userId, "before");
        former.await(l -> l.contains(before), "the admin sees other users' tokens");

        assertThat(api.put("/api/users/" + formerId + "/role", admin, Map.of("role", "USER")).status())
                .isEqualTo(200);
        String after = createToken(admin, userId, "after-demotion");

        former.awaitClosed("the demoted admin's stream");
        assertThat(former.lines()).noneMatch(l -> l.contains(after));
    }

    /** The attack: a stream kept listening on a token its owner (or an admin) had revoked. */
    @Test
    void aStreamOnARevokedTokenIsClosedAtOnce() throws Exception {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("revoked"), "USER", Api.PASSWORD);
        var created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "listener")).json();
        Listening listening = listen(created.get("token").asText());

        api.post("/api/tokens/" + created.get("id").asText() + "/revoke", admin, Map.of("reason", "leaked"));

        listening.awaitClosed("the stream of the revoked token");
        assertThat(api.get("/api/me", created.get("token").asText()).status()).isEqualTo(401);
    }

    /** The attack: a user logged out, and the session's streams stayed open. */
    @Test
    void aStreamOfALoggedOutSessionIsClosedAtOnce() throws Exception {
        String admin = adminToken();
        String name = unique("logout");
        api.createUser(admin, name, "USER", Api.PASSWORD);
        String session = api.login(name, Api.PASSWORD);
        Listening first = listen(session);
        Listening second = listen(session);

        assertThat(api.post("/api/auth/logout", session, null).status()).isEqualTo(204);

        first.awaitClosed("the first stream of the logged-out session");
        second.awaitClosed("the second stream of the logged-out session");
        assertThat(subscribeStatus(session)).isEqualTo(401);
    }

    /** An idle stream is kept alive (and checked) by heartbeats, comment lines every event source ignores. */
    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        String admin = adminToken();
        String name = unique("heartbeat");
        api.createUser(admin, name, "USER", Api.PASSWORD);
        Listening listening = listen(api.login(name, Api.PASSWORD));

        listening.await(l -> l.equals(":heartbeat"), "a heartbeat on an idle stream");
        listening.await(l -> l.equals(":heartbeat") && listening.lines().stream()
                .filter(":heartbeat"::equals).count() >= 2, "heartbeats keep coming");
    }

    /**
     * The attack: one user opened stream after stream (hundreds) and held them all. A user holds at most five at a
     * time, also when they are asked for all at once: the next is refused with a 429 problem and no event, and a
     * stream that ends frees its place.
     */
    @Test
    void theSixthStreamOfAUserIsRefusedAndAFreedPlaceIsTakenAgain() throws Exception {
        String admin = adminToken();
        String name = unique("greedy");
        api.createUser(admin, name, "USER", Api.PASSWORD);
        String session = api.login(name, Api.PASSWORD);
        int asked = 12;
        ExecutorService pool = Executors.newFixedThreadPool(asked);
        List<Future<Listening>> attempts = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try {
            for (int i = 0; i < asked; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    return open(session);
                }));
            }
            go.countDown();
            List<Listening> all = new ArrayList<>();
            for (Future<Listening> attempt : attempts) {
                all.add(attempt.get(30, TimeUnit.SECONDS));
            }
            List<Listening> accepted = all.stream().filter(l -> l.status() == 200).toList();
            List<Listening> refused = all.stream().filter(l -> l.status() != 200).toList();
            assertThat(accepted).hasSize(5);
            assertThat(refused).hasSize(asked - 5).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(429);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(String.join("\n", r.lines())).contains("too-many-streams").doesNotContain("event:");
            });

            accepted.get(0).close();
            long deadline = System.currentTimeMillis() + 15_000;
            Listening again = open(session);
            while (again.status() == 429 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                again = open(session);
            }
            assertThat(again.status()).as("a place freed by a closed stream is taken again").isEqualTo(200);
            assertThat(open(session).status()).as("and the five are full again").isEqualTo(429);
        } finally {
            pool.shutdownNow();
        }
    }

    private String createToken(String admin, String userId, String name) {
        Api.Response response = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", name));
        assertThat(response.status()).isEqualTo(201);
        return response.json().get("id").asText();
    }

    private int subscribeStatus(String token) {
        try (Listening listening = open(token)) {
            return listening.status();
        }
    }

    private Listening listen(String token) throws InterruptedException {
        return Listening.subscribed(port, token);
    }

    private Listening open(String token) {
        return Listening.open(port, token);
    }

    /**
     * Subscribes with the token; the stream stays open for the rest of the test JVM, so tests listen as users of
     * their own and never fill the bootstrap admin's places.
     */
    private List<String> subscribe(String token) throws Exception {
        Listening listening = listen(token);
        assertThat(listening.contentType()).startsWith("text/event-stream");
        return listening.lines();
    }

    /** A session of a new admin of this test's own. */
    private String listeningAdmin(String admin) {
        String name = unique("watching-admin");
        api.createUser(admin, name, "ADMIN", Api.PASSWORD);
        return api.login(name, Api.PASSWORD);
    }
}
