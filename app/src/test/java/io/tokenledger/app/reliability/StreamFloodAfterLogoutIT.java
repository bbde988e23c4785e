package io.tokenledger.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.Api;
import io.tokenledger.app.Listening;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The attack: one user opens 400 live streams at once and logs out; then logs in again and opens 100 more while
 * logging out. The streams used to be authorised once and never end: all of them opened, and every one stayed open
 * after the logouts. Against the packaged jar: five streams are accepted and the rest refused with 429 problems; the
 * logout closes every accepted stream at once, those opened while it ran included; any opened after it is a 401;
 * and another user's stream keeps its heartbeats throughout.
 */
class StreamFloodAfterLogoutIT {
    private static final String ADMIN_PASSWORD = "admin-test-password";
    private static final int FLOOD = 400;
    private static final int DURING_LOGOUT = 100;

    @Test
    void fourHundredStreamsOfOneUserAreCappedAndNoneStaysOpenAfterLogout() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "stream-flood-");
        try (AppProcess app = new AppProcess("stream-flood", AppProcess.packagedJar(), dataDir, List.of(
                "--tokenledger.bootstrap-admin.password=" + ADMIN_PASSWORD, "--tokenledger.embedded-smtp.port=0",
                "--tokenledger.stream.heartbeat=1s"))) {
            app.start();
            String admin = app.awaitReady(Duration.ofSeconds(120), ADMIN_PASSWORD);
            Api api = new Api(app.port());
            api.createUser(admin, "flooder", "USER", Api.PASSWORD);
            api.createUser(admin, "bystander", "AUDITOR", Api.PASSWORD);
            String session = api.login("flooder", Api.PASSWORD);
            Listening bystander = Listening.subscribed(app.port(), api.login("bystander", Api.PASSWORD));
            ExecutorService pool = Executors.newFixedThreadPool(FLOOD);
            try {
                List<Listening> flood = openAtOnce(pool, app.port(), session, FLOOD, () -> null);
                long acceptedInFlood = flood.stream().filter(l -> l.status() == 200).count();
                long refusedInFlood = flood.stream().filter(l -> l.status() == 429).count();

                // The session logs out: the streams it holds must end.
                int logout = api.post("/api/auth/logout", session, null).status();
                List<Listening> accepted = flood.stream().filter(l -> l.status() == 200).toList();
                long floodClosedMillis = millisUntilEnded(accepted);
                long floodStillOpen = accepted.stream().filter(l -> !l.hasEnded()).count();

                // A second session opens streams while it logs out: none of them may outlive the logout.
                String second = api.login("flooder", Api.PASSWORD);
                AtomicInteger racedLogout = new AtomicInteger();
                List<Listening> raced = openAtOnce(pool, app.port(), second, DURING_LOGOUT, () -> {
                    racedLogout.set(api.post("/api/auth/logout", second, null).status());
                    return null;
                });
                List<Listening> racedAccepted = raced.stream().filter(l -> l.status() == 200).toList();
                millisUntilEnded(racedAccepted);
                long racedStillOpen = racedAccepted.stream().filter(l -> !l.hasEnded()).count();
                int afterLogout = Listening.open(app.port(), session).status();
                int afterSecondLogout = Listening.open(app.port(), second).status();
                int heartbeatsBefore = heartbeats(bystander);
                Thread.sleep(2_500);

                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("streamsAskedAtOnce", FLOOD);
                figures.put("accepted", acceptedInFlood);
                figures.put("refused429", refusedInFlood);
                figures.put("stillOpenFiveSecondsAfterLogout", floodStillOpen);
                figures.put("millisUntilTheAcceptedClosed", floodClosedMillis);
                figures.put("askedWhileASecondSessionLoggedOut", DURING_LOGOUT);
                figures.put("acceptedWhileLoggingOut", racedAccepted.size());
                figures.put("ofThoseStillOpenFiveSecondsLater", racedStillOpen);
                figures.put("statusOfAStreamAfterLogout", afterLogout);
                Figures.write("stream-flood-after-logout", figures);

                assertThat(acceptedInFlood).as("streams of one user accepted out of " + FLOOD).isEqualTo(5);
                assertThat(refusedInFlood).as("streams refused with 429").isEqualTo(FLOOD - 5);
                assertThat(flood).filteredOn(l -> l.status() == 429).allSatisfy(l -> {
                    assertThat(l.contentType()).startsWith("application/problem+json");
                    assertThat(String.join("\n", l.lines())).contains("too-many-streams").doesNotContain("event:");
                });
                assertThat(logout).isEqualTo(204);
                assertThat(floodStillOpen).as("streams of the logged-out session still open 5 s after the logout")
                        .isZero();
                assertThat(raced).allSatisfy(l -> assertThat(l.status()).isIn(200, 401, 429));
                assertThat(racedLogout.get()).isEqualTo(204);
                assertThat(racedStillOpen).as("streams opened while their session logged out, still open 5 s later")
                        .isZero();
                assertThat(afterLogout).isEqualTo(401);
                assertThat(afterSecondLogout).isEqualTo(401);
                assertThat(bystander.hasEnded()).as("another user's stream ended").isFalse();
                assertThat(heartbeats(bystander)).as("another user's stream kept its heartbeats")
                        .isGreaterThan(heartbeatsBefore);
                assertThat(api.get("/actuator/health", admin).json().get("status").asText()).isEqualTo("UP");
            } finally {
                pool.shutdownNow();
                bystander.close();
            }
        }
    }

    /** Waits up to five seconds for every stream to end; the time it took. */
    private static long millisUntilEnded(List<Listening> streams) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(5);
        while (streams.stream().anyMatch(l -> !l.hasEnded()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static int heartbeats(Listening listening) {
        return (int) listening.lines().stream().filter(":heartbeat"::equals).count();
    }

    /** Opens {@code count} streams together; {@code meanwhile} runs while they are on their way. */
    private static List<Listening> openAtOnce(ExecutorService pool, int port, String token, int count,
                                              java.util.concurrent.Callable<Void> meanwhile) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Listening>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            opening.add(pool.submit(() -> {
                go.await();
                return Listening.open(port, token);
            }));
        }
        go.countDown();
        meanwhile.call();
        List<Listening> opened = new ArrayList<>();
        for (Future<Listening> future : opening) {
            opened.add(future.get(60, TimeUnit.SECONDS));
        }
        return opened;
    }
}
