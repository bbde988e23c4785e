package io.tokenledger.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small HTTP client for the REST API over real HTTP, recording every response body it saw. */
public final class Api {
    /**
     * The password of the users tests create: one that meets the password rule (15 characters or more, not a common
     * one, not containing a username tests use).
     */
    public static final String PASSWORD = "Staple-Lantern-Orbit-42";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final List<String> seenBodies;

    public Api(int port) {
        this("http://localhost:" + port, new ArrayList<>());
    }

    /** A client of the application at another address, e.g. {@code http://127.0.0.2:8080} for another client IP. */
    public static Api at(String base) {
        return new Api(base, new ArrayList<>());
    }

    private Api(String base, List<String> seenBodies) {
        this.base = base;
        this.seenBodies = seenBodies;
    }

    /** Response of one call. */
    public record Response(int status, Map<String, List<String>> headers, String raw) {
        public JsonNode json() {
            try {
                return raw.isEmpty() ? MissingNode.getInstance() : JSON.readTree(raw);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response call(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            synchronized (seenBodies) {
                seenBodies.add(response.body());
            }
            IssuedSecrets.recordIn(response.body());
            response.headers().allValues("Set-Cookie").forEach(IssuedSecrets::recordIn);
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String token) {
        return call("GET", path, null, auth(token));
    }

    public Response post(String path, String token, Object body) {
        return call("POST", path, body == null ? null : body instanceof String s ? s : json(body), auth(token));
    }

    public Response put(String path, String token, Object body) {
        return call("PUT", path, body instanceof String s ? s : json(body), auth(token));
    }

    public Response delete(String path, String token) {
        return call("DELETE", path, null, auth(token));
    }

    private static Map<String, String> auth(String token) {
        return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    /** Logs in and returns the temporary token's plaintext. */
    /**
     * The console's login form as a browser fills it: the form's page first, for its pre-session cookie and the
     * hidden CSRF field, then the form posted with both.
     */
    public Response consoleLogin(String username, String password) {
        LoginForm form = LoginForm.of(get("/login", null));
        return call("POST", "/login", "username=" + java.net.URLEncoder.encode(username, StandardCharsets.UTF_8)
                        + "&password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8)
                        + "&_csrf=" + form.csrf(),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", form.cookie()));
    }

    /** What the login page gives a browser for its form: the pre-session cookie ({@code name=value}) and token. */
    public record LoginForm(String cookie, String csrf) {
        private static final java.util.regex.Pattern CSRF =
                java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

        public static LoginForm of(Response page) {
            return of(page.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                    .flatMap(e -> e.getValue().stream()).toList(), page.raw());
        }

        public static LoginForm of(List<String> setCookies, String html) {
            String cookie = setCookies.stream().filter(c -> c.matches("(__Host-)?tl_login=.*")).findFirst()
                    .orElseThrow(() -> new AssertionError("no pre-session cookie in " + setCookies));
            java.util.regex.Matcher csrf = CSRF.matcher(html);
            if (!csrf.find()) {
                throw new AssertionError("no CSRF field in the login form");
            }
            return new LoginForm(cookie.substring(0, cookie.indexOf(';')), csrf.group(1));
        }
    }

    public String login(String username, String password) {
        Response response = post("/api/auth/login", null, Map.of("username", username, "password", password));
        if (response.status() != 200) {
            throw new IllegalStateException("login of " + username + " failed: " + response.status() + " " + response.raw());
        }
        return response.json().get("token").asText();
    }

    /** Creates a user as the given admin and returns its id. */
    public String createUser(String adminToken, String username, String role, String password) {
        Response response = post("/api/users", adminToken, Map.of("username", username,
                "email", username + "@example.com", "displayName", username, "role", role, "password", password));
        if (response.status() != 201) {
            throw new IllegalStateException("creating " + username + " failed: " + response.status() + " " + response.raw());
        }
        return response.json().get("id").asText();
    }
}
