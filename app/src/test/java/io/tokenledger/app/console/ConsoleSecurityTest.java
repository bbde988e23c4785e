package io.tokenledger.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's security over plain HTTP: login redirects, the session cookie, CSRF on every write. */
class ConsoleSecurityTest extends IntegrationTest {

    @Test
    void consolePagesRedirectToLoginWhileTheApiStillAnswers401() {
        Api.Response page = api.get("/profile", null);
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).endsWith("/login");
        Api.Response apiCall = api.get("/api/me", null);
        assertThat(apiCall.status()).isEqualTo(401);
        assertThat(apiCall.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/login", null).status()).isEqualTo(200);
    }

    @Test
    void theLoginFormSetsTheSessionCookieAndWritesNeedTheCsrfToken() {
        Api.Response login = form("/login", "", Map.of());
        assertThat(login.status()).isEqualTo(400);
        login = form("/login", "username=admin&password=" + ADMIN_PASSWORD, Map.of());
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).endsWith("/profile");
        String setCookie = cookie(login, "tl_session=");
        assertThat(setCookie).startsWith("tl_session=").contains("HttpOnly", "SameSite=Strict");
        String session = setCookie.substring(0, setCookie.indexOf(';'));

        String xsrf = cookie(login, "XSRF-TOKEN=");
        String xsrfCookie = xsrf.substring(0, xsrf.indexOf(';'));
        Api.Response profile = api.call("GET", "/profile", null, Map.of("Cookie", session + "; " + xsrfCookie));
        assertThat(profile.status()).isEqualTo(200);
        Matcher meta = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(profile.raw());
        assertThat(meta.find()).isTrue();
        String cookies = session + "; " + xsrfCookie;

        assertThat(form("/logout", "", Map.of("Cookie", cookies)).status()).isEqualTo(403);
        Api.Response logout = form("/logout", "_csrf=" + URLEncoder.encode(meta.group(1), StandardCharsets.UTF_8),
                Map.of("Cookie", cookies));
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.header("Location")).contains("/login");
        assertThat(api.call("GET", "/profile", null, Map.of("Cookie", session)).status()).isEqualTo(302);
    }

    private static String cookie(Api.Response response, String prefix) {
        return response.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                .flatMap(e -> e.getValue().stream()).filter(c -> c.startsWith(prefix)).findFirst().orElseThrow();
    }

    private Api.Response form(String path, String body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return api.call("POST", path, body, all);
    }
}
