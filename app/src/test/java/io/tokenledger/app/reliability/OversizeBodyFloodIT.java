package io.tokenledger.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.Api;
import io.tokenledger.app.security.LargeBodies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The attack: anonymous logins with 40 MB bodies, many at once. Each body used to be read whole into memory; ten of
 * them ran the JVM out of memory, and everyone got 503s. Here twenty such requests, half declaring their length and
 * half chunked, hit the packaged jar (its heap 512 MiB, less than twenty bodies) while a legitimate client keeps
 * calling: every flood request is answered 413 at once, the legitimate calls all succeed, and the JVM stays healthy.
 */
class OversizeBodyFloodIT {
    private static final String ADMIN_PASSWORD = "admin-test-password";
    private static final int FLOOD = 20;
    private static final long BODY = 40L << 20;

    @Test
    void twentyConcurrentAnonymousLoginsOf40MegabytesAreRefusedAtOnceWhileOthersAreServed() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "body-flood-");
        try (AppProcess app = new AppProcess("body-flood", AppProcess.packagedJar(), dataDir, List.of(
                "--tokenledger.bootstrap-admin.password=" + ADMIN_PASSWORD, "--tokenledger.embedded-smtp.port=0"))) {
            Path log = app.start();
            String admin = app.awaitReady(Duration.ofSeconds(120), ADMIN_PASSWORD);
            Api api = new Api(app.port());
            ExecutorService pool = Executors.newFixedThreadPool(FLOOD + 1);
            try {
                AtomicBoolean flooding = new AtomicBoolean(true);
                List<Integer> legitimate = new CopyOnWriteArrayList<>();
                Future<?> client = pool.submit(() -> {
                    while (flooding.get()) {
                        legitimate.add(api.get("/api/me", admin).status());
                        Thread.sleep(20);
                    }
                    return null;
                });
                CountDownLatch go = new CountDownLatch(1);
                List<Future<LargeBodies.Answer>> floods = new ArrayList<>();
                for (int i = 0; i < FLOOD; i++) {
                    boolean declared = i % 2 == 0;
                    floods.add(pool.submit(() -> {
                        go.await();
                        return LargeBodies.send(app.port(), "POST", "/api/auth/login", List.of(), BODY, declared);
                    }));
                }
                go.countDown();
                List<LargeBodies.Answer> answers = new ArrayList<>();
                for (Future<LargeBodies.Answer> flood : floods) {
                    answers.add(flood.get(60, TimeUnit.SECONDS));
                }
                Thread.sleep(500);
                flooding.set(false);
                client.get(30, TimeUnit.SECONDS);

                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("floodRequests", FLOOD);
                figures.put("slowestAnswerMillis", answers.stream().mapToLong(LargeBodies.Answer::millis).max()
                        .orElse(0));
                figures.put("mostBodyBytesSentBeforeTheAnswer", answers.stream()
                        .mapToLong(LargeBodies.Answer::bytesWritten).max().orElse(0));
                figures.put("legitimateCalls", legitimate.size());
                Figures.write("oversize-body-flood", figures);

                assertThat(answers).allSatisfy(answer -> {
                    assertThat(answer.status()).as(answer.head()).isEqualTo(413);
                    assertThat(answer.body()).contains("content-too-large");
                    assertThat(answer.millis()).as("answered at once").isLessThan(5_000);
                    assertThat(answer.bytesWritten()).as("body bytes sent before the answer").isLessThan(BODY);
                });
                assertThat(legitimate).as("calls of a legitimate client meanwhile").isNotEmpty().containsOnly(200);
                assertThat(api.get("/actuator/health", admin).json().get("status").asText()).isEqualTo("UP");
                assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
