package io.tokenledger.bench;

import java.time.Duration;
import java.util.Map;

/**
 * Runs the application's hot paths for a while before anything is measured: in a profile of a cold run the JIT
 * compiler threads took 30 % of the CPU, charged to whatever was measured first.
 */
final class WarmUp {
    private WarmUp() {
    }

    static void run(Context c, Duration length) {
        String user;
        try (Http http = c.http()) {
            user = c.createUser(http, "USER");
        }
        Load.run(4, Duration.ZERO, length, i -> {
            Http http = c.http();
            return () -> {
                Http.Response created = c.createToken(http, user);
                if (created == null) {
                    return false;
                }
                String token = created.json().get("token").asText();
                for (int n = 0; n < 20; n++) {
                    http.get("/api/tokens/self", token);
                }
                return http.post("/api/tokens/" + created.json().get("id").asText() + "/revoke", c.admin,
                        Map.of("reason", "warm-up")).status() == 200;
            };
        });
    }
}
