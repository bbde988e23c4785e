package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code GET /api/stream/tokens} pushes token changes as server-sent events, each to whoever may see it. */
class TokenStreamTest extends IntegrationTest {

    @Test
    void aRevocationIsStreamedToAdminsButNotToOtherUsers() throws Exception {
        String admin = adminToken();
        String name = unique("stream");
        String userId = api.createUser(admin, name, "USER", "password-1");
        String other = unique("other");
        api.createUser(admin, other, "USER", "password-1");
        String otherSession = api.login(other, "password-1");
        var created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "live")).json();
        String tokenId = created.get("id").asText();

        List<String> adminLines = subscribe(admin);
        List<String> otherLines = subscribe(otherSession);
        // a use is no change of the token: it is written, and streamed with the token's next change only
        assertThat(api.get("/api/tokens/self", created.get("token").asText()).status()).isEqualTo(200);
        long written = System.currentTimeMillis() + 10_000;
        while (api.get("/api/tokens/" + tokenId, admin).json().path("lastUsedAt").isNull()) {
            assertThat(System.currentTimeMillis()).as("use written in time").isLessThan(written);
            Thread.sleep(50);
        }
        api.post("/api/tokens/" + tokenId + "/revoke", admin, Map.of("reason", "watch"));

        long deadline = System.currentTimeMillis() + 10_000;
        while (adminLines.stream().noneMatch(l -> l.contains(tokenId) && l.contains("REVOKED"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(adminLines).anyMatch(l -> l.startsWith("data:") && l.contains(tokenId) && l.contains("\"REVOKED\""));
        assertThat(adminLines).as("the use streamed")
                .noneMatch(l -> l.contains(tokenId) && l.contains("\"ACTIVE\"") && l.contains("127.0.0.1"));
        assertThat(adminLines).contains("event:token");
        assertThat(otherLines).noneMatch(l -> l.contains(tokenId));
    }

    /** Nothing lost: every token created by several clients at once reaches a subscriber's stream. */
    @Test
    void everyTokenCreatedByConcurrentClientsReachesTheStream() throws Exception {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("burst"), "USER", "password-1");
        List<String> lines = subscribe(admin);
        List<String> created = new CopyOnWriteArrayList<>();
        int clients = 4;
        int each = 60;
        List<CompletableFuture<Void>> writers = new java.util.ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            writers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    Api.Response response = api.post("/api/users/" + userId + "/tokens", admin,
                            Map.of("name", "burst-" + client + "-" + i));
                    assertThat(response.status()).isEqualTo(201);
                    created.add(response.json().get("id").asText());
                }
            }));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        long deadline = System.currentTimeMillis() + 15_000;
        java.util.Set<String> missing = new java.util.HashSet<>(created);
        while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
            lines.forEach(l -> missing.removeIf(id -> l.startsWith("data:") && l.contains(id)));
            Thread.sleep(50);
        }
        assertThat(created).hasSize(clients * each);
        assertThat(missing).as("tokens created but never streamed").isEmpty();
    }

    private List<String> subscribe(String token) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/stream/tokens"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture.runAsync(() -> response.body().forEach(lines::add));
        long deadline = System.currentTimeMillis() + 5_000;
        while (lines.stream().noneMatch(l -> l.contains("subscribed")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return lines;
    }
}
