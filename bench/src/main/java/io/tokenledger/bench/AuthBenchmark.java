package io.tokenledger.bench;

import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.bench.server.AnonymousReads;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Authentication's cost. A cached token on a read endpoint against the same endpoint served without
 * authentication (target ratio ≥ 0.9); and the cache-miss path — a well-formed token looked up by its hash
 * and not found, answered 401 — against a raw prepared {@code SELECT} by hash on the same PostgreSQL.
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
        String token;
        try (Http http = c.http()) {
            String auditor = c.createUser(http, "AUDITOR");
            token = c.createToken(http, auditor).json().get("token").asText();
            check(http.get(ENDPOINT, token), 200, "authenticated");
            check(http.call("GET", ENDPOINT, null, null, Map.of(AnonymousReads.HEADER, "1")), 200, "anonymous");
            check(http.get(ENDPOINT, null), 401, "no token");
        }
        Load.Stats anonymous = Load.run(CLIENTS, c.warmUp(), c.measured(), i -> {
            Http http = c.http();
            Map<String, String> marked = Map.of(AnonymousReads.HEADER, "1");
            return () -> http.call("GET", ENDPOINT, null, null, marked).status() == 200;
        });
        Load.Stats authenticated = Load.run(CLIENTS, c.warmUp(), c.measured(), i -> {
            Http http = c.http();
            return () -> http.get(ENDPOINT, token).status() == 200;
        });
        c.results.against(name(), "GET with a cached token, " + CLIENTS + " clients", authenticated.perSecond(),
                "req/s", "same GET unauthenticated", anonymous.perSecond(), 0.9);
        c.results.against(name(), "  p50 latency", authenticated.percentileMillis(50), "ms",
                "same GET unauthenticated", anonymous.percentileMillis(50), null);

        Load.Stats misses = Load.run(CLIENTS, c.warmUp(), c.measured(), i -> {
            Http http = c.http();
            return () -> http.get(ENDPOINT, TokenSecret.generate(TokenKind.PERMANENT).reveal()).status() == 401;
        });
        List<Connection> connections = new ArrayList<>();
        Load.Stats selects;
        try {
            for (int i = 0; i < CLIENTS; i++) {
                connections.add(c.database());
            }
            selects = Load.run(CLIENTS, c.warmUp(), c.measured(), i -> {
                try {
                    PreparedStatement select = connections.get(i).prepareStatement("""
                            SELECT c.token_id, c.kind, c.user_id, u.username, u.role, u.enabled, c.status, c.expires_at
                            FROM credential c JOIN credential_user u ON u.user_id = c.user_id
                            WHERE c.token_hash = ?""");
                    return () -> {
                        select.setString(1, TokenSecret.generate(TokenKind.PERMANENT).hash().hex());
                        try (ResultSet rs = select.executeQuery()) {
                            return !rs.next();
                        }
                    };
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
        c.results.against(name(), "unknown token, cache miss → 401, " + CLIENTS + " clients", misses.perSecond(),
                "req/s", "prepared SELECT by hash (JDBC)", selects.perSecond(), null);
        c.results.against(name(), "  p50 latency", misses.percentileMillis(50), "ms",
                "prepared SELECT by hash (JDBC)", selects.percentileMillis(50), null);
    }

    private static void check(Http.Response response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + ": expected " + status + ", got " + response.status() + " "
                    + response.text());
        }
    }
}
