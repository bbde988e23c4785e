package io.tokenledger.bench;

import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Token introspection (RFC 7662) as a resource server calls it, with its client's HTTP Basic credentials. A cached
 * active token against a malformed one, which needs no lookup, at 4 and 16 clients (target ratio ≥ 0.9); the p99
 * latency of the active answer at half the highest rate measured (target &lt; 5 ms); and an unknown token (a cache
 * miss, one lookup by hash) against a raw prepared {@code SELECT} by hash on the same PostgreSQL (target ≤ 2×).
 */
final class IntrospectionBenchmark implements Scenario {
    static final String ENDPOINT = "/api/oauth/introspect";
    static final int[] CLIENTS = {4, 16};

    @Override
    public String name() {
        return "introspection";
    }

    @Override
    public void run(Context c) throws Exception {
        String token;
        Map<String, String> basic;
        try (Http http = c.http()) {
            Http.Response client = http.post("/api/clients", c.admin, Map.of("name", "bench resource server"));
            if (client.status() != 201) {
                throw new IllegalStateException("registering a client: " + client.status() + " " + client.text());
            }
            String credentials = client.json().get("clientId").asText() + ":"
                    + client.json().get("clientSecret").asText();
            basic = Map.of("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            String user = c.createUser(http, "USER");
            token = c.createToken(http, user).json().get("token").asText();
            check(http.form(ENDPOINT, "token=" + token, basic), "{\"active\":true", "active");
            check(http.form(ENDPOINT, "token=garbage", basic), "{\"active\":false}", "malformed");
        }
        String malformed = "tlp_" + "x".repeat(38);
        double highest = 0;
        Map<Integer, Load.Stats> malformedAt = new LinkedHashMap<>();
        for (int clients : CLIENTS) {
            // The two loads take turns, so that neither gets a warmer JIT or a quieter machine.
            Map<String, List<Load.Stats>> rounds = new LinkedHashMap<>();
            Duration round = c.smoke ? c.measured() : c.measured().dividedBy(2);
            for (int r = 0; r < (c.smoke ? 1 : 4); r++) {
                Duration warmUp = r == 0 ? c.warmUp() : Duration.ofMillis(200);
                measure(rounds, "active", clients, warmUp, round, c, http -> () ->
                        answers(http.form(ENDPOINT, "token=" + token, basic), "{\"active\":true"));
                measure(rounds, "malformed", clients, warmUp, round, c, http -> () ->
                        answers(http.form(ENDPOINT, "token=" + malformed, basic), "{\"active\":false}"));
            }
            Load.Stats active = Load.Stats.merge(rounds.get("active"));
            Load.Stats refused = Load.Stats.merge(rounds.get("malformed"));
            malformedAt.put(clients, refused);
            c.results.against(name(), "active token (cached), " + clients + " clients", active.perSecond(), "req/s",
                    "malformed token (no lookup)", refused.perSecond(), 0.9);
            c.results.value(name(), "  p99 latency, active token, " + clients + " clients",
                    active.percentileMillis(99), "ms");
            highest = Math.max(highest, active.perSecond());
        }

        // p99 at half the highest rate: clients paced to share it, each request's latency measured on its own.
        double rate = highest / 2;
        int pacedClients = CLIENTS[0];
        long intervalNanos = (long) (1e9 * pacedClients / rate);
        long measureFrom = System.nanoTime() + c.warmUp().toNanos();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[pacedClients];
        for (int i = 0; i < pacedClients; i++) {
            latencies.add(new long[1 << 16]);
        }
        Load.run(pacedClients, c.warmUp(), c.measured(), i -> {
            Http http = c.http();
            long[] next = {System.nanoTime() + i * intervalNanos / pacedClients};
            return () -> {
                long wait = next[0] - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next[0] += intervalNanos;
                long start = System.nanoTime();
                boolean ok = answers(http.form(ENDPOINT, "token=" + token, basic), "{\"active\":true");
                long micros = (System.nanoTime() - start) / 1_000;
                if (start >= measureFrom && counts[i] < latencies.get(i).length) {
                    latencies.get(i)[counts[i]++] = micros;
                }
                return ok;
            };
        });
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int i = 0; i < pacedClients; i++) {
            System.arraycopy(latencies.get(i), 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        c.results.bounded(name(), String.format("  p99 latency at half the highest rate (%.0f req/s, %d clients)",
                rate, pacedClients), Load.percentile(all, 99) / 1000.0, "ms", 5.0, false);

        // A cache miss: an unknown, well-formed token is looked up by its hash and not found.
        int clients = CLIENTS[0];
        Load.Stats misses = Load.run(clients, c.warmUp(), c.measured(), i -> {
            Http http = c.http();
            return () -> answers(http.form(ENDPOINT, "token=" + TokenSecret.generate(TokenKind.PERMANENT).reveal(),
                    basic), "{\"active\":false}");
        });
        Load.Stats selects = RawEvents.selectsByHash(c, clients);
        // What the miss adds to an introspection is its lookup: the difference from a malformed token's, which
        // needs none, set against the raw SELECT (at most twice it).
        double lookup = Math.max(0, misses.meanMillis() - malformedAt.get(clients).meanMillis());
        c.results.add(new Results.Row(name(), "lookup on a cache miss (mean, added to an introspection), " + clients
                + " clients", lookup, "ms", "prepared SELECT by hash (JDBC)", selects.meanMillis(), 2.0, false));
        c.results.value(name(), "  unknown token (cache miss), " + clients + " clients", misses.perSecond(),
                "req/s");
        c.results.value(name(), "  prepared SELECT by hash (JDBC), mean", selects.meanMillis(), "ms");
    }

    private static void measure(Map<String, List<Load.Stats>> rounds, String name, int clients, Duration warmUp,
                                Duration length, Context c, Function<Http, Load.Operation> operation) {
        Load.Stats stats = Load.run(clients, warmUp, length, i -> operation.apply(c.http()));
        rounds.computeIfAbsent(name + "/" + clients, n -> new ArrayList<>()).add(stats);
        rounds.computeIfAbsent(name, n -> new ArrayList<>()).add(stats);
    }

    private static boolean answers(Http.Response response, String prefix) {
        return response.status() == 200 && response.text().startsWith(prefix);
    }

    private static void check(Http.Response response, String prefix, String what) {
        if (!answers(response, prefix)) {
            throw new IllegalStateException(what + ": " + response.status() + " " + response.text());
        }
    }
}
