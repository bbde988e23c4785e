package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every response is kept out of caches, frames and Referer headers and is not content-sniffed; console pages allow
 * only their own scripts, and hold nothing that such a policy would block; the session cookie is HttpOnly,
 * SameSite=Strict, for the whole site, no longer-lived than its token, cleared by logout, and Secure with HSTS
 * where the configuration says the site is served over TLS. ConsoleSecurityTest has the console's CSRF and
 * redirects.
 */
class SecurityHeadersTest extends IntegrationTest {

    private static void assertProtected(String what, Api.Response response) {
        assertThat(response.header("Cache-Control")).as(what + ": Cache-Control").contains("no-store");
        assertThat(response.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).as(what).isEqualTo("DENY");
        assertThat(response.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
    }

    @Test
    void apiResponsesAreNeitherCachedFramedSniffedNorReferred() {
        Api.Response login = api.post("/api/auth/login", null, Map.of("username", "admin", "password", ADMIN_PASSWORD));
        String admin = login.json().get("token").asText();
        String userId = api.createUser(admin, unique("headers"), "USER", Api.PASSWORD);
        String user = api.login(api.get("/api/users/" + userId, admin).json().get("username").asText(), Api.PASSWORD);
        Map<String, Api.Response> responses = Map.of(
                "login (a plaintext)", login,
                "created token (a plaintext)", api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "h")),
                "temporary token (a plaintext)", api.get("/api/me/temporary-token", admin),
                "a read", api.get("/api/me", admin),
                "401", api.get("/api/me", null),
                "403", api.get("/api/users", user),
                "404", api.get("/api/users/00000000-0000-0000-0000-000000000000", admin),
                "400", api.post("/api/users", admin, "{"),
                "health", api.get("/actuator/health", null));
        responses.forEach((what, response) -> {
            assertThat(response.status()).as(what).isLessThan(500);
            assertProtected(what, response);
            assertThat(response.header("Strict-Transport-Security")).as("no HSTS over plain HTTP config").isNull();
        });
        assertThat(login.header("Cache-Control")).isEqualTo("no-store");
        assertThat(responses.get("created token (a plaintext)").header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void consolePagesAllowOnlyTheirOwnScriptsAndUseNothingElse() {
        String admin = adminToken();
        for (String page : List.of("/login", "/profile", "/", "/admin/users", "/admin/settings", "/access/tokens",
                "/faults")) {
            Api.Response response = api.call("GET", page, null,
                    page.equals("/login") ? Map.of() : Map.of("Cookie", "tl_session=" + admin));
            assertThat(response.status()).as(page).isEqualTo(200);
            assertProtected(page, response);
            String csp = response.header("Content-Security-Policy");
            assertThat(csp).as(page).isEqualTo(SecurityConfig.CONSOLE_CSP);
            assertThat(directive(csp, "script-src")).isEqualTo("'self'");
            assertThat(directive(csp, "frame-ancestors")).isEqualTo("'none'");
            assertThat(csp).doesNotContain("unsafe");

            String html = response.raw();
            Matcher script = Pattern.compile("<script\\b[^>]*>").matcher(html);
            while (script.find()) {
                assertThat(script.group()).as(page + ": inline script").contains(" src=\"/");
            }
            // Inside tags only: text is escaped, so rows that other tests named oddly cannot match.
            assertThat(html).as(page + ": inline handlers, styles or script URLs")
                    .doesNotContainPattern("<[a-zA-Z][^>]*\\s(on[a-z]+|style)\\s*=")
                    .doesNotContainPattern("<[a-zA-Z][^>]*=\\s*\"\\s*javascript:")
                    .doesNotContain("<style");
            Matcher source = Pattern.compile("(?:src|href)=\"(/[^\"]*\\.(?:js|css))\"").matcher(html);
            while (source.find()) {
                assertThat(api.get(source.group(1), null).status()).as(page + " loads " + source.group(1))
                        .isEqualTo(200);
            }
        }
    }

    private static String directive(String csp, String name) {
        for (String part : csp.split(";")) {
            String p = part.strip();
            if (p.startsWith(name + " ")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictSiteWideNoLongerLivedThanItsTokenAndClearedByLogout() {
        Api.Response login = api.post("/api/auth/login", null, Map.of("username", "admin", "password", ADMIN_PASSWORD));
        String cookie = sessionCookie(login);
        String token = login.json().get("token").asText();
        assertThat(cookie).startsWith("tl_session=" + token + ";");
        assertThat(attributes(cookie)).contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Secure");
        long maxAge = maxAge(cookie);
        Duration tokenLife = Duration.between(Instant.now(), Instant.parse(login.json().get("expiresAt").asText()));
        assertThat(maxAge).as("Max-Age against the token's expiry").isPositive()
                .isLessThanOrEqualTo(tokenLife.toSeconds() + 1);

        Api.Response logout = api.post("/api/auth/logout", token, null);
        String cleared = sessionCookie(logout);
        assertThat(cleared).startsWith("tl_session=;");
        assertThat(attributes(cleared)).contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=0");

        Api.Response form = api.consoleLogin("admin", ADMIN_PASSWORD);
        assertThat(form.status()).isEqualTo(302);
        String fromForm = sessionCookie(form);
        assertThat(attributes(fromForm)).contains("HttpOnly", "SameSite=Strict", "Path=/");
        assertThat(maxAge(fromForm)).isLessThanOrEqualTo(maxAge);
    }

    @Test
    void aSecureSessionCookieComesWithHstsAndASecureLoginFormCookie() {
        try (ConfigurableApplicationContext secure = Instances.start("--tokenledger.session.secure-cookie=true")) {
            Api tls = Instances.api(secure);
            Api.Response login = tls.post("/api/auth/login", null,
                    Map.of("username", "admin", "password", ADMIN_PASSWORD));
            assertThat(attributes(sessionCookie(login))).contains("Secure", "HttpOnly", "SameSite=Strict", "Path=/");
            assertThat(login.header("Strict-Transport-Security")).startsWith("max-age=31536000");
            String token = login.json().get("token").asText();
            assertThat(tls.get("/api/me", token).header("Strict-Transport-Security")).startsWith("max-age=31536000");
            assertThat(tls.get("/api/me", null).header("Strict-Transport-Security")).startsWith("max-age=31536000");

            assertThat(tls.get("/login", null).header("Strict-Transport-Security")).startsWith("max-age=31536000");
            String preSession = cookie(tls.get("/login", null), "__Host-tl_login=");
            assertThat(attributes(preSession)).contains("Secure", "HttpOnly", "SameSite=Strict", "Path=/");
            Api.Response form = tls.consoleLogin("admin", ADMIN_PASSWORD);
            assertThat(attributes(sessionCookie(form))).contains("Secure");
            assertThat(attributes(sessionCookie(tls.post("/api/auth/logout", token, null))))
                    .contains("Secure", "Max-Age=0");
        }
    }

    private static String sessionCookie(Api.Response response) {
        return cookie(response, "tl_session=");
    }

    private static String cookie(Api.Response response, String prefix) {
        return response.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " cookie in " + response.headers()));
    }

    private static List<String> attributes(String cookie) {
        return java.util.Arrays.stream(cookie.split(";")).skip(1).map(String::strip).toList();
    }

    private static long maxAge(String cookie) {
        return attributes(cookie).stream().filter(a -> a.startsWith("Max-Age=")).findFirst()
                .map(a -> Long.parseLong(a.substring(8))).orElseThrow();
    }
}
