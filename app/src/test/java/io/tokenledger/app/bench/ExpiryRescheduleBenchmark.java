package io.tokenledger.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.settings.ChangeAppConfig;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.TokenLedgerApplication;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * A change of the warning ladder with many active tokens: how long until every expiry saga has replanned, and
 * how much heap that takes. Seeds {@code bench.tokens} (default 100 000) permanent tokens under a 30-day
 * ladder, then sets 7 days and waits for the saga processor to pass the change. Not part of the default run:
 * {@code mvn -B verify -Pbench -pl app -am -Dtest=ExpiryRescheduleBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
@SpringBootTest(classes = TokenLedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ExpiryRescheduleBenchmark {
    private static final int TOKENS = Integer.getInteger("bench.tokens", 100_000);
    private static final String SAGA_PROCESSOR = "TokenExpirySagaProcessor";

    @Autowired
    CommandGateway commands;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void rescheduleEveryActiveToken() throws Exception {
        UserId admin = UserId.random();
        List<UserId> owners = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UserId owner = UserId.random();
            commands.sendAndWait(new io.tokenledger.api.user.RegisterUser(owner, "bench-" + owner.value(),
                    "bench-" + i + "@example.com", "Bench " + i, Role.USER, "$2a$10$" + "x".repeat(53)));
            owners.add(owner);
        }
        commands.sendAndWait(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30", admin));

        long seedStart = System.nanoTime();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicLong next = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            workers.add(pool.submit(() -> {
                for (long i = next.getAndIncrement(); i < TOKENS; i = next.getAndIncrement()) {
                    TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
                    Instant expiry = now.plus(Duration.ofDays(60 + i % 300));
                    commands.sendAndWait(new CreatePermanentToken(TokenId.random(), owners.get((int) (i % owners.size())),
                            "bench-" + i, secret.hash(), secret.hint(), expiry, Duration.ofDays(365), admin));
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        double catchUpSeconds = awaitSagas(Duration.ofMinutes(30));
        long warnings30 = warningsOf(30);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        AtomicLong heapPeak = new AtomicLong(heapBefore);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        // -Dbench.jfr=<file> records a profile of the reschedule alone.
        jdk.jfr.Recording recording = null;
        if (System.getProperty("bench.jfr") != null) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.setDestination(Path.of(System.getProperty("bench.jfr")));
            recording.start();
        }
        long start = System.nanoTime();
        commands.sendAndWait(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7", admin));
        double commandSeconds = (System.nanoTime() - start) / 1e9;
        awaitSagas(Duration.ofMinutes(10));
        double rescheduleSeconds = (System.nanoTime() - start) / 1e9;
        if (recording != null) {
            recording.stop();
            recording.close();
        }
        sampling.set(false);
        sampler.join();
        System.gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        long warnings7 = warningsOf(7);

        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("date", Instant.now().toString());
        result.put("tokens", TOKENS);
        result.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        result.put("seedSeconds", round(seedSeconds));
        result.put("seedTokensPerSecond", round(TOKENS / seedSeconds));
        result.put("sagaCatchUpSeconds", round(catchUpSeconds));
        result.put("warnings30Before", warnings30);
        result.put("changeCommandSeconds", round(commandSeconds));
        result.put("rescheduleSeconds", round(rescheduleSeconds));
        result.put("sagasPerSecond", round(TOKENS / rescheduleSeconds));
        result.put("warnings7After", warnings7);
        result.put("warnings30After", warningsOf(30));
        result.put("heapBeforeMiB", heapBefore >> 20);
        result.put("heapPeakMiB", heapPeak.get() >> 20);
        result.put("heapAfterMiB", heapAfter >> 20);
        StringBuilder table = new StringBuilder("\nExpiry reschedule benchmark\n");
        result.forEach((k, v) -> table.append(String.format("  %-22s %s%n", k, v)));
        System.out.println(table);
        if (Boolean.getBoolean("bench.histogram")) {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()),
                    "GC.class_histogram").redirectErrorStream(true).start();
            System.out.println(new String(jcmd.getInputStream().readAllBytes()).lines().limit(25)
                    .collect(java.util.stream.Collectors.joining("\n")));
        }
        Path out = Path.of("target", "bench", "expiry-reschedule.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(result));

        assertThat(warnings30).isEqualTo(TOKENS);
        assertThat(warnings7).isEqualTo(TOKENS);
        assertThat(rescheduleSeconds).isLessThan(60);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Pending warning deadlines of the given threshold (the payload is JSON inside the task data). */
    private long warningsOf(int days) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM scheduled_tasks
                WHERE position(convert_to(?, 'UTF8') IN task_data) > 0""", Long.class,
                "\"daysBefore\":" + days + "}");
    }

    /** Waits until the saga processor has handled every event in the store; returns the seconds it took. */
    private double awaitSagas(Duration bound) throws InterruptedException {
        long start = System.nanoTime();
        long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        StreamingEventProcessor sagas = processing.eventProcessor(SAGA_PROCESSOR, StreamingEventProcessor.class)
                .orElseThrow();
        while (System.nanoTime() - start < bound.toNanos()) {
            var status = sagas.processingStatus();
            if (!status.isEmpty() && status.values().stream()
                    .allMatch(s -> s.getCurrentPosition().orElse(-1) >= head)) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("saga processor did not reach " + head + " within " + bound);
    }
}
