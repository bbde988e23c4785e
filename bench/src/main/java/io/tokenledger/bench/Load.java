package io.tokenledger.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * A closed-loop load: a number of clients, each on its own thread, each doing one operation after the other
 * for a warm-up and then for the measured time. Latencies are kept per operation (microseconds).
 */
public final class Load {

    /** One client's next operation; returns whether it succeeded, or false to count it as an error. */
    @FunctionalInterface
    public interface Operation {
        boolean run() throws Exception;
    }

    /**
     * Thrown by an operation when nothing is left to do (the tokens to revoke ran out): the load ends there, and
     * what was measured until then stands.
     */
    public static final class Exhausted extends RuntimeException {
        public Exhausted(String message) {
            super(message, null, false, false);
        }
    }

    /** What a load measured. */
    public record Stats(int clients, long operations, long errors, double seconds, long[] latencyMicros,
                        long warmUpOperations) {
        public double perSecond() {
            return operations / seconds;
        }

        public double percentileMillis(double p) {
            return percentile(latencyMicros, p) / 1000.0;
        }

        public double meanMillis() {
            return Arrays.stream(latencyMicros).average().orElse(0) / 1000.0;
        }

        /** Several measured rounds of the same load as one. */
        public static Stats merge(List<Stats> rounds) {
            long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.latencyMicros())).sorted().toArray();
            return new Stats(rounds.get(0).clients(), rounds.stream().mapToLong(Stats::operations).sum(),
                    rounds.stream().mapToLong(Stats::errors).sum(), rounds.stream().mapToDouble(Stats::seconds).sum(),
                    all, rounds.stream().mapToLong(Stats::warmUpOperations).sum());
        }
    }

    private Load() {
    }

    /** Runs {@code clients} clients; each gets its operation from {@code client.apply(index)}. */
    public static Stats run(int clients, Duration warmUp, Duration measured, IntFunction<Operation> client) {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch exhausted = new CountDownLatch(1);
        List<long[]> latencies = new ArrayList<>();
        long[] operations = new long[clients];
        long[] errors = new long[clients];
        long[] early = new long[clients];
        int[] counts = new int[clients];
        CountDownLatch done = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int index = i;
            latencies.add(new long[1 << 16]);
            Operation operation = client.apply(i);
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        boolean ok = operation.run();
                        long micros = (System.nanoTime() - start) / 1_000;
                        if (measuring.get() && !stop.get()) {
                            if (ok) {
                                operations[index]++;
                                long[] mine = latencies.get(index);
                                if (counts[index] == mine.length) {
                                    mine = Arrays.copyOf(mine, mine.length * 2);
                                    latencies.set(index, mine);
                                }
                                mine[counts[index]++] = micros;
                            } else {
                                errors[index]++;
                            }
                        } else if (ok) {
                            early[index]++;
                        }
                    }
                } catch (Exhausted e) {
                    stop.set(true);
                    exhausted.countDown();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                } finally {
                    done.countDown();
                }
            }, "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        long measuredNanos;
        try {
            if (exhausted.await(warmUp.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("nothing left to do before the warm-up ended");
            }
            measuring.set(true);
            long start = System.nanoTime();
            if (exhausted.await(measured.toMillis(), TimeUnit.MILLISECONDS)) {
                System.out.printf("  (ran out of work after %.1f s of the %d s measured: measured until then)%n",
                        (System.nanoTime() - start) / 1e9, measured.toSeconds());
            }
            stop.set(true);
            measuredNanos = System.nanoTime() - start;
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a client failed", failure.get());
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < clients; i++) {
            System.arraycopy(latencies.get(i), 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return new Stats(clients, Arrays.stream(operations).sum(), Arrays.stream(errors).sum(), measuredNanos / 1e9,
                all, Arrays.stream(early).sum());
    }

    /** The p-th percentile (0–100) of sorted values; 0 when there are none. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
