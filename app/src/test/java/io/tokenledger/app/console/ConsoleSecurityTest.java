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
        assertThat(page.header("Location")).endsWith("/login?next=%2Fprofile");
        Api.Response apiCall = api.get("/api/me", null);
        assertThat(apiCall.status()).isEqualTo(401);
        assertThat(apiCall.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/login", null).status()).isEqualTo(200);
    }

    @Test
    void theLoginFormSetsTheSessionCookieAndWritesNeedTheCsrfToken() {
        Api.LoginForm page = Api.LoginForm.of(api.get("/login", null));
        Api.Response login = form("/login", "_csrf=" + page.csrf(), Map.of("Cookie", page.cookie()));
        assertThat(login.status()).isEqualTo(400);
        login = api.consoleLogin("admin", ADMIN_PASSWORD);
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.header("Location")).as("admins land on the Dashboard").endsWith("/");
        String setCookie = cookie(login, "tl_session=");
        assertThat(setCookie).startsWith("tl_session=").contains("HttpOnly", "SameSite=Strict");
        String session = setCookie.substring(0, setCookie.indexOf(';'));

        Api.Response profile = api.call("GET", "/profile", null, Map.of("Cookie", session));
        assertThat(profile.status()).isEqualTo(200);
        String csrf = csrfOf(profile);

        assertThat(form("/logout", "", Map.of("Cookie", session)).status()).isEqualTo(403);
        Api.Response logout = form("/logout", "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8),
                Map.of("Cookie", session));
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.header("Location")).contains("/login");
        assertThat(api.call("GET", "/profile", null, Map.of("Cookie", session)).status()).isEqualTo(302);
    }

    /**
     * The attack: a bare double submit accepts any CSRF cookie whose value the form repeats, so a page that can plant
     * a cookie (a sibling domain, a man in the middle of plain HTTP) writes as the victim with a made-up pair. The token
     * is now computed from the session cookie, never read from a cookie: made-up pairs and another session's token
     * are refused.
     */
    @Test
    void aMadeUpCsrfCookieWithAMatchingTokenIsRefused() {
        String session = sessionOf(api.consoleLogin("admin", ADMIN_PASSWORD));
        for (String cookieName : new String[] {"XSRF-TOKEN", "tl_login", "_csrf"}) {
            Api.Response forged = form("/logout", "_csrf=made-up-token",
                    Map.of("Cookie", session + "; " + cookieName + "=made-up-token"));
            assertThat(forged.status()).as("a made-up %s cookie with the same token", cookieName).isEqualTo(403);
        }
        String otherSession = sessionOf(api.consoleLogin("admin", ADMIN_PASSWORD));
        String othersToken = csrfOf(api.call("GET", "/profile", null, Map.of("Cookie", otherSession)));
        assertThat(form("/logout", "_csrf=" + othersToken, Map.of("Cookie", session)).status())
                .as("another session's token").isEqualTo(403);
        assertThat(api.call("GET", "/profile", null, Map.of("Cookie", session)).status()).as("still logged in")
                .isEqualTo(200);
    }

    /**
     * The attack: another site posts the console's login form with the attacker's credentials, and the victim works
     * in the attacker's account (login CSRF). The form's token is bound to a pre-session cookie the form's page sets:
     * a post without it, or with a made-up pair, logs no one in and gets a fresh form.
     */
    @Test
    void theLoginFormCannotBePostedFromAnotherSite() {
        String credentials = "username=admin&password=" + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8);
        Api.Response crossSite = form("/login", credentials, Map.of());
        Api.Response madeUp = form("/login", credentials + "&_csrf=made-up", Map.of("Cookie", "tl_login=made-up"));
        Api.LoginForm page = Api.LoginForm.of(api.get("/login", null));
        Api.Response withoutCookie = form("/login", credentials + "&_csrf=" + page.csrf(), Map.of());
        for (Api.Response refused : new Api.Response[] {crossSite, madeUp, withoutCookie}) {
            assertThat(refused.status()).isEqualTo(302);
            assertThat(refused.header("Location")).endsWith("/login?expired");
            assertThat(refused.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                    .flatMap(e -> e.getValue().stream())).noneMatch(c -> c.startsWith("tl_session="));
        }
        assertThat(api.get("/login?expired", null).raw()).contains("The login form had expired");
        assertThat(form("/login", credentials + "&_csrf=" + page.csrf(), Map.of("Cookie", page.cookie()))
                .header("Location")).as("the form as its page gave it").endsWith("/");
    }

    private static String sessionOf(Api.Response login) {
        String setCookie = cookie(login, "tl_session=");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String csrfOf(Api.Response page) {
        Matcher meta = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page.raw());
        assertThat(meta.find()).as("the page's CSRF token").isTrue();
        return meta.group(1);
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

    /** A login returns to the page that asked for it, if it is a page of this site; otherwise to the role's landing. */
    @Test
    void aLoginReturnsToThePageThatAskedForItAndNowhereElse() {
        assertThat(api.get("/access/tokens?status=ACTIVE", null).header("Location"))
                .endsWith("/login?next=%2Faccess%2Ftokens%3Fstatus%3DACTIVE");
        assertThat(api.get("/login?next=/access/tokens?status=ACTIVE", null).raw())
                .contains("name=\"next\" value=\"/access/tokens?status=ACTIVE\"");
        assertThat(loginWithNext("/access/tokens?status=ACTIVE")).endsWith("/access/tokens?status=ACTIVE");
        for (String elsewhere : new String[] {"https://evil.example/", "//evil.example/x", "/\\evil.example",
                "javascript:alert(1)", "/logout", "/api/me", "/\r\nSet-Cookie:x=1"}) {
            assertThat(loginWithNext(elsewhere)).as(elsewhere).endsWith("/").doesNotContain("evil");
        }
        String username = unique("lands");
        api.createUser(adminToken(), username, "USER", Api.PASSWORD);
        Api.LoginForm page = Api.LoginForm.of(api.get("/login", null));
        Api.Response user = form("/login", "username=" + username + "&password=" + Api.PASSWORD + "&_csrf="
                + page.csrf(), Map.of("Cookie", page.cookie()));
        assertThat(user.header("Location")).as("users land on their Profile").endsWith("/profile");
    }

    private String loginWithNext(String next) {
        Api.LoginForm page = Api.LoginForm.of(api.get("/login", null));
        Api.Response login = form("/login", "username=admin&password=" + ADMIN_PASSWORD + "&_csrf=" + page.csrf()
                + "&next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Cookie", page.cookie()));
        assertThat(login.status()).isEqualTo(302);
        return login.header("Location");
    }
}
