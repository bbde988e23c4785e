package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenledger.api.token.TokenSecret;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** {@code GET /api/audit/events}: the global log, its filters, paging, roles and exports, over real HTTP. */
class AuditLogTest extends IntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CSV_HEADER = List.of("globalIndex", "sequence", "aggregateId", "type",
            "timestamp", "actorId", "actorUsername", "actorRole", "clientIp", "userAgent", "requestId",
            "correlationId", "traceId", "deadline", "payload");

    /** A user with one permanent token that an admin has revoked. */
    private record History(String admin, String userId, String tokenId, String plaintext) {
    }

    private History userWithRevokedToken(String tokenName) {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("audited"), "USER", Api.PASSWORD);
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", tokenName));
        assertThat(created.status()).isEqualTo(201);
        String tokenId = created.json().get("id").asText();
        assertThat(api.post("/api/tokens/" + tokenId + "/revoke", admin, Map.of("reason", "leaked")).status())
                .isEqualTo(200);
        return new History(admin, userId, tokenId, created.json().get("token").asText());
    }

    private JsonNode list(String admin, String query) {
        Api.Response response = api.get("/api/audit/events?" + query, admin);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        return response.json();
    }

    private static List<String> types(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false).map(e -> e.get("type").asText()).toList();
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aTokensHistoryIsListedInOrderWithoutItsHash() {
        History h = userWithRevokedToken("deploy");

        JsonNode page = list(h.admin(), "tokenId=" + h.tokenId());
        assertThat(types(page)).containsExactly("PermanentTokenCreated", "TokenRevoked");
        assertThat(page.get("total").asLong()).isEqualTo(2);
        JsonNode created = page.at("/items/0");
        JsonNode revoked = page.at("/items/1");
        assertThat(created.get("globalIndex").asLong()).isLessThan(revoked.get("globalIndex").asLong());
        assertThat(created.get("aggregateId").asText()).isEqualTo(h.tokenId());
        assertThat(created.get("sequence").asLong()).isZero();
        assertThat(revoked.get("sequence").asLong()).isEqualTo(1);
        assertThat(created.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(created.at("/payload/tokenId").asText()).isEqualTo(h.tokenId());
        assertThat(created.at("/payload/ownerId").asText()).isEqualTo(h.userId());
        assertThat(created.at("/payload/name").asText()).isEqualTo("deploy");
        assertThat(created.get("payload").has("hash")).isFalse();
        assertThat(revoked.at("/payload/reason").asText()).isEqualTo("leaked");
        assertThat(revoked.get("payload").has("hash")).isFalse();
        String hash = TokenSecret.parse(h.plaintext()).orElseThrow().hash().hex();
        assertThat(page.toString()).doesNotContain(hash).doesNotContain(h.plaintext());

        // who did it: the admin, from this client; and filtering by that actor finds these events
        String adminId = api.get("/api/me", h.admin()).json().get("id").asText();
        assertThat(created.at("/actor/id").asText()).isEqualTo(adminId);
        assertThat(created.at("/actor/username").asText()).isEqualTo("admin");
        assertThat(created.at("/actor/role").asText()).isEqualTo("ADMIN");
        assertThat(created.get("clientIp").asText()).isEqualTo("127.0.0.1");
        assertThat(created.get("requestId").asText()).isNotBlank();
        assertThat(types(list(h.admin(), "tokenId=" + h.tokenId() + "&actorId=" + adminId)))
                .containsExactly("PermanentTokenCreated", "TokenRevoked");
        assertThat(list(h.admin(), "tokenId=" + h.tokenId() + "&actorId=" + h.userId()).get("total").asLong())
                .isZero();

        // by type; a type that does not exist is simply not found
        assertThat(types(list(h.admin(), "tokenId=" + h.tokenId() + "&type=TokenRevoked")))
                .containsExactly("TokenRevoked");
        JsonNode none = list(h.admin(), "tokenId=" + h.tokenId() + "&type=NoSuchEvent");
        assertThat(none.get("total").asLong()).isZero();
        assertThat(none.get("items")).isEmpty();

        // by user: the user's own events and those of their token; never a password hash
        JsonNode ofUser = list(h.admin(), "userId=" + h.userId());
        assertThat(types(ofUser)).containsExactly("UserRegistered", "PermanentTokenCreated", "TokenRevoked");
        assertThat(ofUser.at("/items/0/payload/userId").asText()).isEqualTo(h.userId());
        assertThat(ofUser.at("/items/0/payload").has("passwordHash")).isFalse();

        // by time: from inclusive, to exclusive
        String revokedAt = revoked.get("timestamp").asText();
        assertThat(types(list(h.admin(), "userId=" + h.userId() + "&from=" + revokedAt)))
                .containsExactly("TokenRevoked");
        assertThat(types(list(h.admin(), "userId=" + h.userId() + "&to=" + revokedAt)))
                .containsExactly("UserRegistered", "PermanentTokenCreated");
        assertThat(types(list(h.admin(), "userId=" + h.userId() + "&from=" + created.get("timestamp").asText()
                + "&to=" + revokedAt))).containsExactly("PermanentTokenCreated");
        // an offset is accepted as well as Z
        assertThat(types(list(h.admin(), "userId=" + h.userId() + "&from="
                + encoded(OffsetDateTime.parse(revokedAt).withOffsetSameInstant(ZoneOffset.ofHours(2)).toString()))))
                .containsExactly("TokenRevoked");
    }

    @Test
    void pagesSortAndRefuseBadParameters() {
        History h = userWithRevokedToken("paged");
        String filter = "userId=" + h.userId();

        JsonNode second = list(h.admin(), filter + "&size=1&page=1");
        assertThat(second.get("total").asLong()).isEqualTo(3);
        assertThat(second.get("page").asInt()).isEqualTo(1);
        assertThat(second.get("size").asInt()).isEqualTo(1);
        assertThat(types(second)).containsExactly("PermanentTokenCreated");
        assertThat(types(list(h.admin(), filter + "&sort=timestamp,desc")))
                .containsExactly("TokenRevoked", "PermanentTokenCreated", "UserRegistered");
        assertThat(types(list(h.admin(), filter + "&sort=globalIndex,desc")))
                .containsExactly("TokenRevoked", "PermanentTokenCreated", "UserRegistered");
        assertThat(types(list(h.admin(), filter + "&sort=globalIndex")))
                .containsExactly("UserRegistered", "PermanentTokenCreated", "TokenRevoked");

        // JSON is the default, also for clients that accept anything
        Api.Response anything = api.call("GET", "/api/audit/events?" + filter, null,
                Map.of("Authorization", "Bearer " + h.admin(), "Accept", "*/*"));
        assertThat(anything.contentType()).startsWith("application/json");
        assertThat(anything.json().get("total").asLong()).isEqualTo(3);

        assertBadParameter(h.admin(), "from=yesterday", "from", null);
        assertBadParameter(h.admin(), "to=2026-13-01T00:00:00Z", "to", null);
        assertBadParameter(h.admin(), "userId=not-a-uuid", "userId", null);
        assertBadParameter(h.admin(), "tokenId=1-2-3-4-5", "tokenId", null);
        assertBadParameter(h.admin(), "size=1000", "size", null);
        assertBadParameter(h.admin(), "page=-1", "page", null);
        assertBadParameter(h.admin(), "sort=payload", "sort", null);
        assertBadParameter(h.admin(), "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from", null);
        // an export with bad parameters is refused before anything is streamed
        assertBadParameter(h.admin(), "userId=nope", "userId", "application/x-ndjson");
        assertBadParameter(h.admin(), "from=nope", "from", "text/csv");
    }

    private void assertBadParameter(String admin, String query, String field, String accept) {
        Map<String, String> headers = accept == null ? Map.of("Authorization", "Bearer " + admin)
                : Map.of("Authorization", "Bearer " + admin, "Accept", accept);
        Api.Response response = api.call("GET", "/api/audit/events?" + query, null, headers);
        assertThat(response.status()).as(query + " → " + response.raw()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().at("/errors/0/field").asText()).isEqualTo(field);
        assertThat(response.raw()).doesNotContain("Exception").doesNotContain("at io.");
    }

    @Test
    void auditorsReadTheLogUsersMayNotAndStrangersMustAuthenticate() {
        String admin = adminToken();
        String auditorName = unique("auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        String userName = unique("plain");
        api.createUser(admin, userName, "USER", Api.PASSWORD);
        String user = api.login(userName, Api.PASSWORD);

        assertThat(api.get("/api/audit/events?type=UserRegistered&size=1", auditor).status()).isEqualTo(200);
        assertThat(api.get("/api/audit/verify", auditor).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/audit/events", null,
                Map.of("Authorization", "Bearer " + auditor, "Accept", "text/csv")).status()).isEqualTo(200);

        Api.Response forbidden = api.get("/api/audit/events", user);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.contentType()).startsWith("application/problem+json");
        assertThat(api.call("GET", "/api/audit/events", null,
                Map.of("Authorization", "Bearer " + user, "Accept", "application/x-ndjson")).status()).isEqualTo(403);
        assertThat(api.get("/api/audit/verify", user).status()).isEqualTo(403);

        Api.Response anonymous = api.get("/api/audit/events", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(api.get("/api/audit/verify", null).status()).isEqualTo(401);
    }

    /** The attack: a User-Agent of {@code =HYPERLINK(...)} reached the auditor's spreadsheet as a live formula. */
    @Test
    void aFormulaAClientWroteIsExportedAsTextNotAsAFormula() {
        String admin = adminToken();
        String formula = "=HYPERLINK(\"http://evil.example/\",\"open\")";
        Api.Response created = api.call("POST", "/api/users", Api.json(Map.of("username", unique("formula"),
                "email", "formula@example.com", "role", "USER", "password", "a-long-password")),
                Map.of("Authorization", "Bearer " + admin, "User-Agent", formula));
        assertThat(created.status()).isEqualTo(201);
        String userId = created.json().get("id").asText();
        for (String userAgent : List.of("+1+2", "-2+3", "@SUM(1)")) {
            api.call("PUT", "/api/users/" + userId + "/role", Api.json(Map.of("role",
                    userAgent.startsWith("+") || userAgent.startsWith("@") ? "AUDITOR" : "USER")),
                    Map.of("Authorization", "Bearer " + admin, "User-Agent", userAgent));
        }

        Api.Response csv = api.call("GET", "/api/audit/events?userId=" + userId, null,
                Map.of("Authorization", "Bearer " + admin, "Accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(200);
        List<List<String>> rows = parseCsv(csv.raw());
        assertThat(rows).hasSizeGreaterThan(1);
        assertThat(rows.get(1).get(9)).isEqualTo("'" + formula);
        assertThat(rows.stream().flatMap(List::stream)).as("no cell a spreadsheet would evaluate")
                .noneMatch(cell -> !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0);
        assertThat(rows.stream().map(row -> row.get(9))).contains("'+1+2", "'-2+3", "'@SUM(1)");
    }

    @Test
    void exportsHoldTheSameEventsAsTheListAndNoSecret() throws IOException {
        // a name CSV must quote: a comma and quotes
        History h = userWithRevokedToken("ci, \"nightly\"");
        String admin = h.admin();
        Api.Response second = api.post("/api/users/" + h.userId() + "/tokens", admin, Map.of("name", "second"));
        String secondPlaintext = second.json().get("token").asText();
        JsonNode all = list(admin, "userId=" + h.userId());
        assertThat(all.get("total").asLong()).isEqualTo(4);
        // a range: from the first token's creation up to (not including) the second token's
        String from = all.at("/items/1/timestamp").asText();
        String to = all.at("/items/3/timestamp").asText();
        String query = "userId=" + h.userId() + "&from=" + from + "&to=" + to;
        JsonNode expected = list(admin, query).get("items");
        assertThat(expected).hasSize(2);

        Api.Response ndjson = api.call("GET", "/api/audit/events?" + query, null,
                Map.of("Authorization", "Bearer " + admin, "Accept", "application/x-ndjson"));
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.contentType()).startsWith("application/x-ndjson");
        assertThat(ndjson.header("Content-Disposition")).isEqualTo("attachment; filename=\"audit-events.ndjson\"");
        assertThat(ndjson.raw()).endsWith("\n");
        String[] lines = ndjson.raw().split("\n");
        assertThat(lines).hasSize(expected.size());
        for (int i = 0; i < lines.length; i++) {
            assertThat(JSON.readTree(lines[i])).isEqualTo(expected.get(i));
        }

        Api.Response csv = api.call("GET", "/api/audit/events?" + query, null,
                Map.of("Authorization", "Bearer " + admin, "Accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"audit-events.csv\"");
        List<List<String>> rows = parseCsv(csv.raw());
        assertThat(rows.get(0)).isEqualTo(CSV_HEADER);
        assertThat(rows).hasSize(expected.size() + 1);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode event = expected.get(i);
            List<String> row = rows.get(i + 1);
            assertThat(row).hasSize(CSV_HEADER.size());
            assertThat(row.get(0)).isEqualTo(event.get("globalIndex").asText());
            assertThat(row.get(1)).isEqualTo(event.get("sequence").asText());
            assertThat(row.get(2)).isEqualTo(event.get("aggregateId").asText());
            assertThat(row.get(3)).isEqualTo(event.get("type").asText());
            assertThat(row.get(4)).isEqualTo(event.get("timestamp").asText());
            assertThat(row.get(5)).isEqualTo(event.at("/actor/id").asText(""));
            assertThat(row.get(8)).isEqualTo(event.path("clientIp").asText(""));
            assertThat(JSON.readTree(row.get(14))).isEqualTo(event.get("payload"));
        }
        assertThat(rows.get(1).get(3)).isEqualTo("PermanentTokenCreated");
        assertThat(JSON.readTree(rows.get(1).get(14)).get("name").asText()).isEqualTo("ci, \"nightly\"");

        // the preferred format wins; text/* asks for CSV
        assertThat(api.call("GET", "/api/audit/events?" + query, null, Map.of("Authorization", "Bearer " + admin,
                "Accept", "text/csv;q=0.5, application/x-ndjson")).contentType()).startsWith("application/x-ndjson");
        assertThat(api.call("GET", "/api/audit/events?" + query, null, Map.of("Authorization", "Bearer " + admin,
                "Accept", "text/*")).contentType()).startsWith("text/csv");

        // the whole user's export never holds a plaintext or a hash
        for (String accept : List.of("application/x-ndjson", "text/csv")) {
            String export = api.call("GET", "/api/audit/events?userId=" + h.userId(), null,
                    Map.of("Authorization", "Bearer " + admin, "Accept", accept)).raw();
            assertThat(export).contains(h.tokenId());
            for (String secret : List.of(h.plaintext(), secondPlaintext)) {
                assertThat(export).doesNotContain(secret)
                        .doesNotContain(TokenSecret.parse(secret).orElseThrow().hash().hex());
            }
        }
    }

    /** RFC 4180: fields separated by commas, rows by CRLF; a quoted field may hold commas, "" and line breaks. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(quoted).as("unterminated quote").isFalse();
        assertThat(field.length() + row.size()).as("last row ends with CRLF").isZero();
        return rows;
    }
}
