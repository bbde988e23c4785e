package io.tokenledger.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes. Create-token and revoke over HTTP at 1, 4 and 16 clients (each answered once the read models show it),
 * each beside the same server's authenticated {@code GET /api/me} with the same bearer token at the same
 * concurrency, measured just before (target ratio ≥ 0.5: HTTP, security and JSON cost the same on both, so the
 * ratio is what a command adds), and beside raw single-row insert transactions of the same event row into a table
 * shaped like the event store, on the same PostgreSQL, at the same concurrency; single-client latency against
 * commit latency. Then, at half the highest create rate and paced (a late answer does not delay the next
 * command): from sending a command to its 2xx (target p99 < 50 ms), and whether a client following the live
 * stream receives every token created (target: none missing).
 */
final class CommandBenchmark implements Scenario {
    static final int[] CLIENTS = {1, 4, 16};

    @Override
    public String name() {
        return "commands";
    }

    @Override
    public void run(Context c) throws Exception {
        List<String> users = new ArrayList<>();
        try (Http http = c.http()) {
            for (int i = 0; i < 16; i++) {
                users.add(c.createUser(http, "USER"));
            }
        }
        ConcurrentLinkedQueue<String> active = new ConcurrentLinkedQueue<>();
        double highestCreate = 0;
        for (int clients : CLIENTS) {
            long[] meCpuBefore = {c.server.cpuMillis(), c.server.postgresCpuMillis()};
            Load.Stats me = me(c, clients);
            double meAppCpu = c.server.cpuMillis() - meCpuBefore[0];
            double meDbCpu = c.server.postgresCpuMillis() - meCpuBefore[1];
            long xidBefore = nextTransactionId(c);
            long[] cpuBefore = {c.server.cpuMillis(), c.server.postgresCpuMillis()};
            Load.Stats creates = Load.run(clients, c.warmUp(), c.measured(), i -> {
                Http http = c.http();
                String user = users.get(i);
                return () -> {
                    Http.Response created = c.createToken(http, user);
                    if (created != null) {
                        active.add(created.json().get("id").asText());
                    }
                    return created != null;
                };
            });
            long writes = nextTransactionId(c) - xidBefore;
            double appCpu = c.server.cpuMillis() - cpuBefore[0];
            double dbCpu = c.server.postgresCpuMillis() - cpuBefore[1];
            long[] rawDbCpu = new long[1];
            Load.Stats raw = RawEvents.inserts(c, clients, RawEvents.template(c, "%PermanentTokenCreated"), rawDbCpu);
            highestCreate = Math.max(highestCreate, creates.perSecond());
            report(c, "create-token", clients, creates, me, raw);
            if (clients == CLIENTS[CLIENTS.length - 1]) {
                // Why a command is not one insert: every write transaction it causes (the last answers' read
                // models included), and the CPU it takes, per command answered.
                long all = Math.max(1, creates.operations() + creates.warmUpOperations());
                c.results.value(name(), "  write transactions per create-token", (double) writes / all, "");
                c.results.value(name(), "  application CPU per create-token", appCpu / all, "ms");
                c.results.against(name(), "  PostgreSQL CPU per create-token", dbCpu / all, "ms",
                        "PostgreSQL CPU per one-row insert", (double) rawDbCpu[0]
                                / Math.max(1, raw.operations() + raw.warmUpOperations()), null);
                // What PostgreSQL's work alone allows: with every core busy, rates go as the inverse of the CPU
                // per request. Were a create-token's application work to cost no more than the GET's (the same
                // HTTP, security and JSON), its rate over the GET's would be at most this.
                long gets = Math.max(1, me.operations() + me.warmUpOperations());
                double getCpu = (meAppCpu + meDbCpu) / gets;
                c.results.value(name(), "  CPU per GET /api/me, application and PostgreSQL", getCpu, "ms");
                c.results.value(name(), "  ratio were the application's work a GET's (PostgreSQL's alone bounds it)",
                        getCpu / (meAppCpu / gets + dbCpu / all), "");
            }
        }
        double highestRevoke = highestCreate;
        for (int clients : CLIENTS) {
            // Enough active tokens for the load: revoking is faster than creating, and more clients may revoke
            // several times faster than fewer did. Should they still run out, the load is measured until then.
            topUp(c, users, active, (int) (Math.max(highestCreate, highestRevoke) * 4
                    * (c.warmUp().toMillis() + c.measured().toMillis()) / 1000) + 50);
            Load.Stats me = me(c, clients);
            Load.Stats revokes = Load.run(clients, c.warmUp(), c.measured(), i -> {
                Http http = c.http();
                return () -> {
                    String id = active.poll();
                    if (id == null) {
                        throw new Load.Exhausted("no active token left to revoke");
                    }
                    return c.ok(http.post("/api/tokens/" + id + "/revoke", c.admin,
                            Map.of("reason", "benchmark")), 200, "revoke");
                };
            });
            highestRevoke = Math.max(highestRevoke, revokes.perSecond());
            Load.Stats raw = RawEvents.inserts(c, clients, RawEvents.template(c, "%TokenRevoked"));
            report(c, "revoke", clients, revokes, me, raw);
        }
        lag(c, users, highestCreate / 2);
    }

    /** The same server's {@code GET /api/me} with the bearer token the commands are sent with. */
    private static Load.Stats me(Context c, int clients) {
        return Load.run(clients, c.warmUp(), c.measured(), i -> {
            Http http = c.http();
            return () -> c.ok(http.get("/api/me", c.admin), 200, "GET /api/me");
        });
    }

    private void report(Context c, String command, int clients, Load.Stats http, Load.Stats me, Load.Stats raw) {
        c.results.against(name(), command + ", " + clients + (clients == 1 ? " client" : " clients"),
                http.perSecond(), "/s", "GET /api/me, same token & clients", me.perSecond(), 0.5);
        c.results.against(name(), "  " + command + " against one-row inserts", http.perSecond(), "/s",
                "one-row insert transactions", raw.perSecond(), null);
        if (clients == 1) {
            c.results.against(name(), "  " + command + " latency p50, 1 client", http.percentileMillis(50), "ms",
                    "commit of one row, p50", raw.percentileMillis(50), null);
            c.results.against(name(), "  " + command + " latency p99, 1 client", http.percentileMillis(99), "ms",
                    "commit of one row, p99", raw.percentileMillis(99), null);
        }
        if (http.errors() > 0) {
            c.results.value(name(), "  " + command + " errors, " + clients + " clients", http.errors(), "");
        }
    }

    /** The next transaction id PostgreSQL will assign: its growth counts write transactions, at once. */
    private static long nextTransactionId(Context c) throws Exception {
        try (Connection db = c.database(); Statement select = db.createStatement();
             ResultSet rs = select.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Creates tokens (not measured) until at least {@code wanted} are active for the revoke load. */
    private static void topUp(Context c, List<String> users, ConcurrentLinkedQueue<String> active, int wanted)
            throws Exception {
        int missing = wanted - active.size();
        if (missing <= 0) {
            return;
        }
        AtomicInteger left = new AtomicInteger(missing);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 16; i++) {
            String user = users.get(i);
            pool.execute(() -> {
                try (Http http = c.http()) {
                    while (left.getAndDecrement() > 0) {
                        Http.Response created = c.createToken(http, user);
                        if (created != null) {
                            active.add(created.json().get("id").asText());
                        }
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }

    /**
     * Creates tokens at a fixed rate (open loop: a late answer does not delay the next command) and notes,
     * for each, the time from its intended send to its 2xx, and from its 2xx to its arrival on the stream.
     */
    private void lag(Context c, List<String> users, double rate) throws Exception {
        int count = (int) Math.max(20, rate * c.measured().toMillis() / 1000);
        long interval = (long) (1e9 / rate);
        long[] intended = new long[count];
        long[] answered = new long[count];
        String[] ids = new String[count];
        ExecutorService senders = Executors.newFixedThreadPool(32);
        ThreadLocal<Http> connections = ThreadLocal.withInitial(c::http);
        CountDownLatch done = new CountDownLatch(count);
        try (EventStream stream = new EventStream(c.server.port(), c.admin)) {
            Thread.sleep(200);
            long start = System.nanoTime() + 10_000_000;
            for (int n = 0; n < count; n++) {
                int k = n;
                intended[k] = start + k * interval;
                long wait = intended[k] - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                senders.execute(() -> {
                    try {
                        Http.Response created = c.createToken(connections.get(), users.get(k % users.size()));
                        answered[k] = System.nanoTime();
                        ids[k] = created == null ? null : created.json().get("id").asText();
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await(2, TimeUnit.MINUTES);
            // Every created token must arrive on the stream; a late one is given 10 s.
            long streamDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < streamDeadline && !Arrays.stream(ids)
                    .allMatch(id -> id == null || stream.firstSeen(id) != null)) {
                Thread.sleep(50);
            }
            long[] toAnswer = new long[count];
            long[] toStream = new long[count];
            int answeredCount = 0;
            int streamed = 0;
            for (int k = 0; k < count; k++) {
                if (ids[k] == null) {
                    continue;
                }
                toAnswer[answeredCount++] = (answered[k] - intended[k]) / 1_000;
                Long seen = stream.firstSeen(ids[k]);
                if (seen != null) {
                    toStream[streamed++] = (seen - answered[k]) / 1_000;
                }
            }
            long[] a = Arrays.copyOf(toAnswer, answeredCount);
            long[] s = Arrays.copyOf(toStream, streamed);
            Arrays.sort(a);
            Arrays.sort(s);
            c.results.value(name(), "lag load: create-token at half the highest rate", rate, "/s");
            c.results.value(name(), "  command sent → 2xx (read models show it), p50",
                    Load.percentile(a, 50) / 1000.0, "ms");
            c.results.bounded(name(), "  command sent → 2xx (read models show it), p99",
                    Load.percentile(a, 99) / 1000.0, "ms", 50, false);
            c.results.value(name(), "  2xx → change on the live stream, p50", Load.percentile(s, 50) / 1000.0, "ms");
            c.results.bounded(name(), "  2xx → change on the live stream, p99", Load.percentile(s, 99) / 1000.0, "ms",
                    200, false);
            c.results.bounded(name(), "  commands failed", count - answeredCount, "", 0, false);
            c.results.bounded(name(), "  created tokens missing from the live stream", answeredCount - streamed, "",
                    0, false);
        } finally {
            senders.shutdownNow();
        }
    }
}
