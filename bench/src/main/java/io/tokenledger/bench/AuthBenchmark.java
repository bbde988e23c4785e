package io.tokenledger.bench;

import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.bench.server.AnonymousReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Authentication's cost. A cached token on a read endpoint against the same endpoint served without
 * authentication (target ratio ≥ 0.9); and the cache-miss path: a well-formed token looked up by its hash and
 * not found costs a request more than a malformed one (refused before any lookup, with the same 401), and that
 * difference is set against a raw prepared {@code SELECT} by hash on the same PostgreSQL.
 */
final class AuthBenchmark implements Scenario {
    static final String ENDPOINT = "/api/settings/app-config";
    static final int CLIENTS = 4;

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public void run(Context c) throws Exception {
        cpu.clear();
        String token;
        try (Http http = c.http()) {
            String auditor = c.createUser(http, "AUDITOR");
            token = c.createToken(http, auditor).json().get("token").asText();
            check(http.get(ENDPOINT, token), 200, "authenticated");
            check(http.call("GET", ENDPOINT, null, null, Map.of(AnonymousReads.HEADER, "1")), 200, "anonymous");
            check(http.get(ENDPOINT, null), 401, "no token");
        }
        // The two loads take turns, so that neither gets a warmer JIT or a quieter machine.
        Map<String, String> marked = Map.of(AnonymousReads.HEADER, "1");
        String malformed = "tlp_" + "x".repeat(38);
        Map<String, List<Load.Stats>> rounds = new LinkedHashMap<>();
        Duration round = c.smoke ? c.measured() : c.measured().dividedBy(2);
        for (int r = 0; r < (c.smoke ? 1 : 4); r++) {
            Duration warmUp = r == 0 ? c.warmUp() : Duration.ofMillis(200);
            measure(rounds, "anonymous", warmUp, round, c, http -> () ->
                    http.call("GET", ENDPOINT, null, null, marked).status() == 200);
            measure(rounds, "authenticated", warmUp, round, c, http -> () -> http.get(ENDPOINT, token).status() == 200);
            measure(rounds, "malformed", warmUp, round, c, http -> () -> http.get(ENDPOINT, malformed).status() == 401);
            measure(rounds, "unknown", warmUp, round, c, http -> () ->
                    http.get(ENDPOINT, TokenSecret.generate(TokenKind.PERMANENT).reveal()).status() == 401);
        }
        Load.Stats anonymous = Load.Stats.merge(rounds.get("anonymous"));
        Load.Stats authenticated = Load.Stats.merge(rounds.get("authenticated"));
        Load.Stats refused = Load.Stats.merge(rounds.get("malformed"));
        Load.Stats misses = Load.Stats.merge(rounds.get("unknown"));
        c.results.against(name(), "GET with a cached token, " + CLIENTS + " clients", authenticated.perSecond(),
                "req/s", "same GET unauthenticated", anonymous.perSecond(), 0.9);
        c.results.against(name(), "  mean latency", authenticated.meanMillis(), "ms", "same GET unauthenticated",
                anonymous.meanMillis(), null);
        c.results.against(name(), "  application CPU per request", cpuPerRequest("authenticated"), "ms",
                "same GET unauthenticated", cpuPerRequest("anonymous"), null);
        Load.Stats selects = RawEvents.selectsByHash(c, CLIENTS);
        c.results.value(name(), "malformed token → 401 without lookup, " + CLIENTS + " clients",
                refused.perSecond(), "req/s");
        c.results.value(name(), "unknown token → lookup misses → 401, " + CLIENTS + " clients", misses.perSecond(),
                "req/s");
        // What the miss adds to a request is the lookup: the difference between the two refusals.
        c.results.against(name(), "  lookup on a cache miss (mean, added to a 401)",
                Math.max(0, misses.meanMillis() - refused.meanMillis()), "ms", "prepared SELECT by hash (JDBC)",
                selects.meanMillis(), null);
        c.results.value(name(), "  prepared SELECT by hash, " + CLIENTS + " connections", selects.perSecond(), "/s");
    }

    private final Map<String, long[]> cpu = new LinkedHashMap<>();

    /** One round of a load; its application CPU time per request is summed up per load. */
    private void measure(Map<String, List<Load.Stats>> rounds, String name, Duration warmUp, Duration length,
                         Context c, Function<Http, Load.Operation> operation) {
        long before = c.server.cpuMillis();
        Load.Stats stats = Load.run(CLIENTS, warmUp, length, i -> operation.apply(c.http()));
        long[] used = cpu.computeIfAbsent(name, n -> new long[2]);
        used[0] += c.server.cpuMillis() - before;
        used[1] += stats.operations() + stats.warmUpOperations();
        rounds.computeIfAbsent(name, n -> new ArrayList<>()).add(stats);
    }

    private double cpuPerRequest(String name) {
        long[] used = cpu.get(name);
        return (double) used[0] / Math.max(1, used[1]);
    }

    private static void check(Http.Response response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + ": expected " + status + ", got " + response.status() + " "
                    + response.text());
        }
    }
}
