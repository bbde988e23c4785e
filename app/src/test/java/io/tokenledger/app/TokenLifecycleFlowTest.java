package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The token lifecycle over real HTTP on embedded PostgreSQL. */
class TokenLifecycleFlowTest extends IntegrationTest {

    private static JsonNode await(java.util.function.Supplier<JsonNode> read, Predicate<JsonNode> until) {
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode last = read.get();
        while (!until.test(last) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = read.get();
        }
        return last;
    }

    @Test
    void anAdminCreatesATokenTheUserUsesSeesAndRevokes() {
        String admin = adminToken();
        String name = unique("ops");
        String userId = api.createUser(admin, name, "USER", Api.PASSWORD);

        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", "ci-deploy", "expiresAt", LocalDate.now(ZoneOffset.UTC).plusDays(30).toString()));
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String plaintext = body.get("token").asText();
        String tokenId = body.get("id").asText();
        assertThat(plaintext).matches("tlp_[0-9A-Za-z]{38}");
        assertThat(body.get("hint").asText()).isEqualTo("tlp_\u2026" + plaintext.substring(38));
        assertThat(body.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(body.get("userId").asText()).isEqualTo(userId);
        assertThat(Instant.parse(body.get("expiresAt").asText()))
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant());

        // the user authenticates with it; it reports its own expiry
        Api.Response self = api.get("/api/tokens/self", plaintext);
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().get("id").asText()).isEqualTo(tokenId);
        assertThat(self.header("Token-Expiration")).isEqualTo(body.get("expiresAt").asText());
        assertThat(self.raw()).doesNotContain(plaintext);

        // it appears in the user's Tokens tab with its last use
        JsonNode listed = await(() -> api.get("/api/users/" + userId + "/tokens", admin).json(),
                list -> !list.at("/items/0/lastUsedAt").isMissingNode() && !list.at("/items/0/lastUsedAt").isNull());
        assertThat(listed.get("total").asLong()).isEqualTo(1);
        assertThat(listed.at("/items/0/name").asText()).isEqualTo("ci-deploy");
        assertThat(listed.at("/items/0/username").asText()).isEqualTo(name);
        assertThat(listed.at("/items/0/lastUsedIp").asText()).isNotBlank();
        assertThat(listed.toString()).doesNotContain(plaintext);
        // a use is telemetry: the token's stream holds only its changes
        JsonNode stream = api.get("/api/audit/tokens/" + tokenId + "/events", admin).json();
        assertThat(stream.size()).as("%s", stream).isOne();
        assertThat(stream.at("/0/type").asText()).isEqualTo("PermanentTokenCreated");

        // the user revokes it; its very next request is refused
        Api.Response revoked = api.post("/api/tokens/" + tokenId + "/revoke", plaintext, Map.of("reason", "done"));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("REVOKED");
        assertThat(revoked.json().get("revokeReason").asText()).isEqualTo("done");
        assertThat(revoked.json().get("revokedBy").asText()).isEqualTo(userId);
        assertThat(api.get("/api/tokens/self", plaintext).status()).isEqualTo(401);

        // revoking again is fine and changes nothing
        Api.Response again = api.post("/api/tokens/" + tokenId + "/revoke", admin, Map.of("reason", "again"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("revokeReason").asText()).isEqualTo("done");

        // the name is free again
        assertThat(api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "ci-deploy")).status())
                .isEqualTo(201);
    }

    @Test
    void theDefaultExpiryIsAYearAndBadExpiriesAndNamesAre400() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("exp"), "USER", Api.PASSWORD);
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "default"));
        assertThat(created.status()).isEqualTo(201);
        Instant expiry = Instant.parse(created.json().get("expiresAt").asText());
        assertThat(expiry).isBetween(Instant.now().plus(364, ChronoUnit.DAYS), Instant.now().plus(366, ChronoUnit.DAYS));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String tooFar = LocalDate.now(ZoneOffset.UTC).plusDays(367).toString();
        for (Map<String, String> bad : java.util.List.of(Map.of("name", "t", "expiresAt", today),
                Map.of("name", "t", "expiresAt", "2020-01-01"), Map.of("name", "t", "expiresAt", tooFar),
                Map.of("name", "t", "expiresAt", "next tuesday"), Map.of("name", ""),
                Map.of("name", "x".repeat(101)), Map.of("name", "bell\u0007"))) {
            Api.Response response = api.post("/api/users/" + userId + "/tokens", admin, bad);
            assertThat(response.status()).as(bad.toString()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().at("/errors/0/field").asText()).isIn("name", "expiresAt");
        }
        assertThat(api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "DEFAULT")).status())
                .isEqualTo(409);
        assertThat(api.get("/api/users/" + userId + "/tokens", admin).json().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void onlyAdminsCreatePermanentTokensAndUsersSeeOnlyTheirOwn() {
        String admin = adminToken();
        String aliceId = api.createUser(admin, unique("alice"), "USER", Api.PASSWORD);
        String bobName = unique("bob");
        String bobId = api.createUser(admin, bobName, "USER", Api.PASSWORD);
        String bob = api.login(bobName, Api.PASSWORD);

        assertThat(api.post("/api/users/" + bobId + "/tokens", bob, Map.of("name", "mine")).status()).isEqualTo(403);
        assertThat(api.post("/api/me/tokens", bob, Map.of("name", "mine")).status()).isEqualTo(403);

        String aliceToken = api.post("/api/users/" + aliceId + "/tokens", admin, Map.of("name", "alice-ci"))
                .json().get("id").asText();
        Api.Response peek = api.get("/api/tokens/" + aliceToken, bob);
        Api.Response missing = api.get("/api/tokens/00000000-0000-0000-0000-000000000000", bob);
        assertThat(peek.status()).isEqualTo(404);
        assertThat(peek.json().get("detail").asText().replace(aliceToken, "ID"))
                .isEqualTo(missing.json().get("detail").asText().replace("00000000-0000-0000-0000-000000000000", "ID"));
        assertThat(api.post("/api/tokens/" + aliceToken + "/revoke", bob, null).status()).isEqualTo(404);
        assertThat(api.post("/api/tokens/" + aliceToken + "/rotate", bob, null).status()).isEqualTo(404);
        assertThat(api.get("/api/users/" + aliceId + "/tokens", bob).status()).isEqualTo(404);
        assertThat(api.get("/api/tokens", bob).status()).isEqualTo(403);
        assertThat(api.get("/api/tokens/" + aliceToken, admin).json().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.get("/api/me/tokens", bob).status()).isEqualTo(200);
    }

    @Test
    void anAdminCreatesATokenForThemselvesFromTheProfile() {
        String admin = adminToken();
        String name = unique("self");
        Api.Response created = api.post("/api/me/tokens", admin, Map.of("name", name));
        assertThat(created.status()).isEqualTo(201);
        JsonNode mine = api.get("/api/me/tokens?kind=PERMANENT&size=200", admin).json();
        assertThat(mine.get("items").findValuesAsText("name")).contains(name);
    }

    @Test
    void rotationReplacesTheTokenWithANewSecretAndRevokesTheOld() {
        String admin = adminToken();
        String name = unique("rot");
        String userId = api.createUser(admin, name, "USER", Api.PASSWORD);
        JsonNode old = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "deploy")).json();
        String oldPlain = old.get("token").asText();

        Api.Response rotated = api.post("/api/tokens/" + old.get("id").asText() + "/rotate", oldPlain, null);
        assertThat(rotated.status()).isEqualTo(201);
        String newPlain = rotated.json().get("token").asText();
        assertThat(newPlain).matches("tlp_[0-9A-Za-z]{38}").isNotEqualTo(oldPlain);
        assertThat(rotated.json().get("name").asText()).isEqualTo("deploy");
        assertThat(rotated.json().get("userId").asText()).isEqualTo(userId);
        assertThat(rotated.json().get("id").asText()).isNotEqualTo(old.get("id").asText());

        assertThat(api.get("/api/tokens/self", oldPlain).status()).isEqualTo(401);
        assertThat(api.get("/api/tokens/self", newPlain).status()).isEqualTo(200);
        JsonNode oldView = api.get("/api/tokens/" + old.get("id").asText(), admin).json();
        assertThat(oldView.get("status").asText()).isEqualTo("REVOKED");
        assertThat(oldView.get("revokeReason").asText()).isEqualTo("ROTATED");
        assertThat(oldView.get("replacedBy").asText()).isEqualTo(rotated.json().get("id").asText());
        assertThat(api.post("/api/tokens/" + old.get("id").asText() + "/rotate", admin, null).status()).isEqualTo(409);
    }

    @Test
    void disablingAUserRevokesAllTheirTokensAndEnablingDoesNotBringThemBack() {
        String admin = adminToken();
        String name = unique("gone");
        String userId = api.createUser(admin, name, "USER", Api.PASSWORD);
        String one = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "one")).json().get("token").asText();
        api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "two"));
        api.login(name, Api.PASSWORD);

        assertThat(api.post("/api/users/" + userId + "/disable", admin, null).status()).isEqualTo(200);
        JsonNode tokens = api.get("/api/users/" + userId + "/tokens", admin).json();
        assertThat(tokens.get("total").asLong()).isEqualTo(3);
        assertThat(tokens.get("items").findValuesAsText("status")).containsOnly("REVOKED");
        assertThat(tokens.get("items").findValuesAsText("revokeReason")).containsOnly("USER_DISABLED");
        assertThat(api.get("/api/tokens/self", one).status()).isEqualTo(401);
        assertThat(api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "three")).status())
                .isEqualTo(409);

        api.post("/api/users/" + userId + "/enable", admin, null);
        assertThat(api.get("/api/tokens/self", one).status()).isEqualTo(401);
        assertThat(api.get("/api/users/" + userId + "/tokens", admin).json().get("items").findValuesAsText("status"))
                .containsOnly("REVOKED");
    }

    @Test
    void theTokenListFiltersSortsAndPages() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("list"), "USER", Api.PASSWORD);
        for (String n : new String[] {"alpha", "beta", "gamma"}) {
            api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", n));
        }
        String betaId = api.get("/api/tokens?userId=" + userId + "&q=bet", admin).json().at("/items/0/id").asText();
        api.post("/api/tokens/" + betaId + "/revoke", admin, null);

        JsonNode active = api.get("/api/tokens?userId=" + userId + "&status=ACTIVE&sort=name,desc", admin).json();
        assertThat(active.get("items").findValuesAsText("name")).containsExactly("gamma", "alpha");
        JsonNode page = api.get("/api/tokens?userId=" + userId + "&kind=PERMANENT&size=2&page=1&sort=name,asc", admin)
                .json();
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("items").findValuesAsText("name")).containsExactly("gamma");
        assertThat(api.get("/api/tokens?status=BOGUS", admin).status()).isEqualTo(400);
        assertThat(api.get("/api/tokens?sort=hash,asc", admin).status()).isEqualTo(400);
        JsonNode counts = api.get("/api/users/" + userId, admin).json().get("tokens");
        assertThat(counts.get("active").asLong()).isEqualTo(2);
        assertThat(counts.get("revoked").asLong()).isEqualTo(1);
    }

    /**
     * Tokens created for a user while an admin disables the user: each creation either commits before the disabling,
     * which then revokes its token, or waits for it and is refused. No active token of a disabled user remains.
     */
    @Test
    void noTokenCreatedWhileItsOwnerIsDisabledStaysActive() throws Exception {
        String admin = adminToken();
        for (int round = 0; round < 5; round++) {
            String userId = api.createUser(admin, unique("racing"), "USER", Api.PASSWORD);
            java.util.List<java.util.concurrent.CompletableFuture<Integer>> creations = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String name = "t" + i;
                creations.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> api.post(
                        "/api/users/" + userId + "/tokens", admin, Map.of("name", name)).status()));
            }
            assertThat(api.post("/api/users/" + userId + "/disable", admin, Map.of()).status()).isEqualTo(200);
            for (var creation : creations) {
                assertThat(creation.get(10, java.util.concurrent.TimeUnit.SECONDS)).isIn(201, 409);
            }
            JsonNode tokens = api.get("/api/users/" + userId + "/tokens?size=100", admin).json();
            for (JsonNode token : tokens.get("items")) {
                assertThat(token.get("status").asText()).as("%s", token).isNotEqualTo("ACTIVE");
            }
        }
    }
}
