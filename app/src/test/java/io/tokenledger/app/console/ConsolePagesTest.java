package io.tokenledger.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.javamail.JavaMailSender;

/** Console pages over plain HTTP: refusals are console pages with the right status, long lists come in pages. */
class ConsolePagesTest extends IntegrationTest {

    @Test
    void aPageTheRoleDoesNotAllowIsARefusalPageWhileTheApiStillAnswersProblemDetails() {
        String admin = adminToken();
        String username = unique("refused");
        api.createUser(admin, username, "USER", "a-long-password");
        String user = api.login(username, "a-long-password");

        Api.Response page = api.get("/admin/users", user);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.raw()).contains("You do not have access to this page", username).doesNotContain("Exception");
        Api.Response write = api.call("POST", "/faults/" + UUID.randomUUID() + "/acknowledge", "",
                Map.of("Authorization", "Bearer " + user));
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.raw()).contains("You do not have access to this page");

        Api.Response apiCall = api.get("/api/users", user);
        assertThat(apiCall.status()).isEqualTo(403);
        assertThat(apiCall.contentType()).startsWith("application/problem+json");

        Api.Response home = api.get("/", user);
        assertThat(home.status()).isEqualTo(302);
        assertThat(home.header("Location")).endsWith("/profile");
    }

    @Test
    void theProfilesPasswordFormChangesThePasswordAndEndsAThiefsOtherSession() {
        String admin = adminToken();
        String username = unique("profile-pw");
        api.createUser(admin, username, "USER", Api.PASSWORD);
        String thief = api.login(username, Api.PASSWORD);
        String owner = api.login(username, Api.PASSWORD);
        assertThat(api.get("/profile", owner).raw()).contains("change-password-link");
        Api.Response form = api.get("/profile/password", owner);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.raw()).contains("change-password-form", "currentPassword", "newPassword");

        Api.Response wrong = form(owner, "/profile/password", "currentPassword=Not-The-Password-At-All"
                + "&newPassword=Violet-Harbour-Quill-17");
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.raw()).contains("is not your current password");
        Api.Response weak = form(owner, "/profile/password", "currentPassword=" + Api.PASSWORD
                + "&newPassword=Violet-Harbour");
        assertThat(weak.status()).isEqualTo(422);
        assertThat(weak.raw()).contains("must be at least 15 characters long");
        assertThat(api.get("/api/me", thief).status()).isEqualTo(200);

        Api.Response changed = form(owner, "/profile/password", "currentPassword=" + Api.PASSWORD
                + "&newPassword=Violet-Harbour-Quill-17");
        assertThat(changed.status()).isEqualTo(302);
        assertThat(changed.header("Location")).endsWith("/profile?passwordChanged");
        assertThat(api.get("/profile?passwordChanged", owner).raw()).contains("password-changed");
        assertThat(api.get("/api/me", thief).status()).isEqualTo(401);
        assertThat(api.login(username, "Violet-Harbour-Quill-17")).isNotBlank();
    }

    @Test
    void anAdminSetsAUsersPasswordOnTheUsersPageAndEveryOneOfTheirSessionsEnds() {
        String admin = adminToken();
        String username = unique("page-pw");
        String id = api.createUser(admin, username, "USER", Api.PASSWORD);
        String session = api.login(username, Api.PASSWORD);
        assertThat(api.get("/admin/users/" + id, admin).raw()).contains("reset-password-form");

        Api.Response breached = form(admin, "/admin/users/" + id + "/password", "newPassword=passwordpassword");
        assertThat(breached.status()).isEqualTo(422);
        assertThat(breached.raw()).contains("is a commonly used or breached password");
        assertThat(api.get("/api/me", session).status()).isEqualTo(200);

        Api.Response reset = form(admin, "/admin/users/" + id + "/password", "newPassword=Violet-Harbour-Quill-17");
        assertThat(reset.status()).isEqualTo(302);
        assertThat(reset.header("Location")).endsWith("/admin/users/" + id + "?passwordReset");
        assertThat(api.get("/api/me", session).status()).isEqualTo(401);
        assertThat(api.login(username, "Violet-Harbour-Quill-17")).isNotBlank();
    }

    /** Without JavaScript, Disable user, Enable user and Revoke each open a confirmation page whose form does it. */
    @Test
    void destructiveActionsWithoutJavaScriptGoThroughAConfirmationPage() {
        String admin = adminToken();
        String username = unique("confirmed");
        String id = api.createUser(admin, username, "USER", Api.PASSWORD);
        String tokenId = api.post("/api/users/" + id + "/tokens", admin, Map.of("name", "ci-" + username))
                .json().get("id").asText();
        api.login(username, Api.PASSWORD);

        Api.Response revoke = api.call("GET", "/access/tokens/" + tokenId + "/revoke", null,
                Map.of("Authorization", "Bearer " + admin, "Referer", "http://localhost/admin/users/" + id));
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(text(revoke)).contains("Revoke token", "ci-" + username, "Reason", "cannot be undone");
        assertThat(revoke.raw()).contains("name=\"back\" value=\"/admin/users/" + id + "\"");
        Api.Response revoked = form(admin, "/access/tokens/" + tokenId + "/revoke",
                "reason=left+in+a+log&back=/admin/users/" + id);
        assertThat(revoked.status()).isEqualTo(302);
        assertThat(revoked.header("Location")).endsWith("/admin/users/" + id + "?revoked");
        assertThat(api.get("/api/tokens/" + tokenId, admin).json().get("revokeReason").asText())
                .isEqualTo("left in a log");
        // only a path of this site is returned to
        assertThat(form(admin, "/access/tokens/" + tokenId + "/revoke", "back=//evil.example/x").header("Location"))
                .endsWith("/access/tokens?revoked");

        Api.Response disable = api.get("/admin/users/" + id + "/disable", admin);
        assertThat(disable.status()).isEqualTo(200);
        assertThat(text(disable)).contains("Disable user", "0 permanent tokens and 1 login session",
                "This cannot be undone").doesNotContain("this will log you out");
        Api.Response disabled = form(admin, "/admin/users/" + id + "/disable", "");
        assertThat(disabled.header("Location")).endsWith("/admin/users/" + id + "?disabled");
        assertThat(text(api.get("/admin/users/" + id + "?disabled", admin))).contains("The user has been disabled");

        assertThat(text(api.get("/admin/users/" + id + "/enable", admin)))
                .contains("Enable user", "Tokens revoked when the user was disabled stay revoked");
        assertThat(form(admin, "/admin/users/" + id + "/enable", "").header("Location"))
                .endsWith("/admin/users/" + id + "?enabled");

        String auditorName = unique("confirm-auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        assertThat(api.get("/admin/users/" + id + "/disable", auditor).status()).isEqualTo(403);
        assertThat(api.get("/access/tokens/" + tokenId + "/revoke", auditor).status()).isEqualTo(403);
    }

    /** Rotate without JavaScript: the form says which expiry the new token gets; the page shows the secret once. */
    @Test
    void anOwnerRotatesTheirTokenWithoutJavaScriptAndOthersCannot() {
        String admin = adminToken();
        String username = unique("rotate-page");
        String userId = api.createUser(admin, username, "USER", Api.PASSWORD);
        String expiry = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(200).toString();
        String tokenId = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "ci-" + username,
                "expiresAt", expiry)).json().get("id").asText();
        String owner = api.login(username, Api.PASSWORD);
        String otherName = unique("rotate-other");
        api.createUser(admin, otherName, "USER", Api.PASSWORD);
        String other = api.login(otherName, Api.PASSWORD);

        Api.Response page = api.get("/profile/tokens/" + tokenId + "/rotate", owner);
        assertThat(page.status()).isEqualTo(200);
        assertThat(text(page)).contains("Rotate token", "Keep the current expiry: " + expiry, "Choose a new expiry");
        assertThat(api.get("/profile/tokens/" + tokenId + "/rotate", other).status()).isEqualTo(404);
        assertThat(form(other, "/profile/tokens/" + tokenId + "/rotate", "expiry=keep").status()).isEqualTo(404);

        Api.Response noDate = form(owner, "/profile/tokens/" + tokenId + "/rotate", "expiry=date&expiresAt=");
        assertThat(noDate.status()).isEqualTo(422);
        assertThat(text(noDate)).contains("Expiry Date is required when you choose a date");

        Api.Response rotated = form(owner, "/profile/tokens/" + tokenId + "/rotate", "expiry=keep&back=/profile");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
        assertThat(text(rotated)).contains("Token Created", "It expires on " + expiry);
        Matcher secret = Pattern.compile("value=\"(tlp_[0-9A-Za-z]+)\"").matcher(rotated.raw());
        assertThat(secret.find()).isTrue();
        assertThat(api.get("/api/tokens/self", secret.group(1)).status()).isEqualTo(200);
        assertThat(api.get("/api/tokens/" + tokenId, admin).json().get("status").asText()).isEqualTo("REVOKED");
        // a revoked token is not rotated again
        assertThat(form(owner, "/profile/tokens/" + tokenId + "/rotate", "expiry=keep").status()).isEqualTo(409);

        // the owner revokes their own token from the Profile, with a reason
        String newId = api.get("/api/tokens?kind=PERMANENT&status=ACTIVE&userId=" + userId, admin).json()
                .get("items").get(0).get("id").asText();
        assertThat(text(api.get("/profile/tokens/" + newId + "/revoke", owner))).contains("Revoke token", "Reason");
        assertThat(form(other, "/profile/tokens/" + newId + "/revoke", "").status()).isEqualTo(404);
        Api.Response revoked = form(owner, "/profile/tokens/" + newId + "/revoke", "reason=replaced");
        assertThat(revoked.header("Location")).endsWith("/profile?revoked");
        assertThat(api.get("/api/tokens/self", secret.group(1)).status()).isEqualTo(401);
    }

    /** Users → a user's Role: changed with a notice; a refusal (one's own Admin role) is said on the page. */
    @Test
    void anAdminChangesAUsersRoleAndIsToldPlainlyWhenItIsRefused() {
        String admin = adminToken();
        String username = unique("promoted");
        String id = api.createUser(admin, username, "USER", Api.PASSWORD);
        assertThat(api.get("/admin/users/" + id, admin).raw()).contains("change-role-form");

        Api.Response changed = form(admin, "/admin/users/" + id + "/role", "role=AUDITOR");
        assertThat(changed.status()).isEqualTo(302);
        assertThat(changed.header("Location")).endsWith("/admin/users/" + id + "?roleChanged");
        assertThat(text(api.get("/admin/users/" + id + "?roleChanged", admin)))
                .contains("The role has been changed to Auditor");
        assertThat(api.get("/api/users/" + id, admin).json().get("role").asText()).isEqualTo("AUDITOR");

        Api.Response unknown = form(admin, "/admin/users/" + id + "/role", "role=OWNER");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(text(unknown)).contains("Role must be one of Admin, Auditor, User.");

        String adminId = api.get("/api/me", admin).json().get("id").asText();
        Api.Response own = form(admin, "/admin/users/" + adminId + "/role", "role=USER");
        assertThat(own.status()).isEqualTo(409);
        assertThat(own.contentType()).startsWith("text/html");
        assertThat(text(own)).contains("The role was not changed: an administrator cannot take away their own ADMIN role");
        assertThat(api.get("/api/users/" + adminId, admin).json().get("role").asText()).isEqualTo("ADMIN");

        String auditorName = unique("role-auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        assertThat(api.get("/admin/users/" + id, auditor).raw()).doesNotContain("change-role-form");
        assertThat(form(auditor, "/admin/users/" + id + "/role", "role=ADMIN").status()).isEqualTo(403);
    }

    /** Every page names its icon, which is served before a login too; token rows say how long ago beside UTC. */
    @Test
    void pagesHaveAFaviconAndTokenRowsARelativeTime() {
        Api.Response login = api.call("GET", "/login", null, Map.of());
        Matcher icon = Pattern.compile("<link rel=\"icon\" type=\"image/svg\\+xml\" href=\"([^\"]+)\"")
                .matcher(login.raw());
        assertThat(icon.find()).as(login.raw()).isTrue();
        Api.Response svg = api.call("GET", icon.group(1), null, Map.of());
        assertThat(svg.status()).isEqualTo(200);
        assertThat(svg.contentType()).startsWith("image/svg+xml");

        String admin = adminToken();
        String id = api.createUser(admin, unique("relative"), "USER", Api.PASSWORD);
        api.post("/api/users/" + id + "/tokens", admin, Map.of("name", "fresh"));
        assertThat(text(api.get("/admin/users/" + id, admin))).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC just now");
    }

    private Api.Response form(String token, String path, String body) {
        return api.call("POST", path, body, Map.of("Authorization", "Bearer " + token,
                "Content-Type", "application/x-www-form-urlencoded"));
    }

    @Test
    void theWebhooksPagesAreAnAdminsToChangeAnAuditorsToReadAndNoUsers() {
        String admin = adminToken();
        String auditorName = unique("hook-auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        String userName = unique("hook-user");
        api.createUser(admin, userName, "USER", Api.PASSWORD);
        String user = api.login(userName, Api.PASSWORD);

        Api.Response added = form(admin, "/admin/webhooks", "url=http%3A%2F%2F127.0.0.1%3A9%2Fpages"
                + "&events=token.revoked&description=pages");
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.raw()).contains("webhook-secret-value", "whsec_");
        String id = api.get("/api/webhooks?size=200", admin).json().findValues("id").stream()
                .map(n -> n.asText()).filter(i -> added.raw().contains(i)).findFirst().orElseThrow();
        try {
            Api.Response disabled = form(admin, "/admin/webhooks/" + id + "/disable", "");
            assertThat(disabled.status()).isEqualTo(302);
            // the page it sends back to says what was done
            assertThat(disabled.header("Location")).endsWith("/admin/webhooks/" + id + "?disabled");
            assertThat(api.get("/admin/webhooks/" + id + "?disabled", admin).raw()).contains("webhook-notice",
                    "The webhook has been disabled");
            Api.Response page = api.get("/admin/webhooks/" + id, auditor);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.raw()).contains("deliveries-table", "token.revoked").doesNotContain("whsec_")
                    .doesNotContain("webhook-delete-button");
            assertThat(api.get("/admin/webhooks", auditor).raw()).contains("127.0.0.1:9/pages")
                    .doesNotContain("add-webhook-form");
            assertThat(form(auditor, "/admin/webhooks/" + id + "/rotate-secret", "").status()).isEqualTo(403);
            assertThat(api.get("/admin/webhooks", user).status()).isEqualTo(403);

            Api.Response refused = form(admin, "/admin/webhooks", "url=ftp%3A%2F%2Fexample.com&events=token.revoked");
            assertThat(refused.raw()).contains("webhook-url-error", "only http and https URLs");
            Api.Response noEvents = form(admin, "/admin/webhooks/" + id + "/events", "");
            assertThat(noEvents.raw()).contains("name at least one event type");
        } finally {
            api.delete("/api/webhooks/" + id, admin);
        }
    }

    @Test
    void somethingThatIsNotThereIsAConsolePageToo() {
        String admin = adminToken();
        Api.Response history = api.get("/access/tokens/" + UUID.randomUUID() + "/audit", admin);
        assertThat(history.status()).isEqualTo(404);
        assertThat(history.contentType()).startsWith("text/html");
        assertThat(history.raw()).contains("Not found", "There is no token");
        Api.Response user = api.get("/admin/users/" + UUID.randomUUID(), admin);
        assertThat(user.status()).isEqualTo(404);
        assertThat(user.raw()).contains("There is no such user.");
    }

    @Test
    void longListsComeAPageAtATimeAndKeepTheirFilters() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("many"), "USER", "a-long-password");
        String prefix = unique("batch");
        int pageSize = 10; // tokenledger.console.page-size in the test profile
        int count = pageSize + 1;
        for (int i = 0; i < count; i++) {
            assertThat(api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", prefix + "-" + i)).status())
                    .isEqualTo(201);
        }

        Api.Response first = api.get("/access/tokens?kind=PERMANENT&q=" + prefix, admin);
        assertThat(first.status()).isEqualTo(200);
        assertThat(text(first)).contains("Page 1 of 2 · " + count + " permanent tokens");
        assertThat(rows(first, prefix)).isEqualTo(pageSize);
        String next = link(first, "next");
        assertThat(next).contains("q=" + prefix, "kind=PERMANENT", "page=1");
        assertThat(first.raw()).doesNotContain("rel=\"prev\"");

        Api.Response second = api.get(next.replace("&amp;", "&"), admin);
        assertThat(text(second)).contains("Page 2 of 2 · " + count + " permanent tokens");
        assertThat(rows(second, prefix)).isEqualTo(1);
        assertThat(link(second, "prev")).contains("page=0");
        assertThat(second.raw()).doesNotContain("rel=\"next\"");

        // A page past the end says where the list ends instead of failing.
        Api.Response beyond = api.get("/access/tokens?q=" + prefix + "&page=9", admin);
        assertThat(beyond.status()).isEqualTo(200);
        assertThat(link(beyond, "prev")).contains("page=1");
    }

    private static String text(Api.Response page) {
        return page.raw().replaceAll("<[^>]+>", "").replaceAll("\\s+", " ");
    }

    private static long rows(Api.Response page, String prefix) {
        return Pattern.compile(">" + Pattern.quote(prefix) + "-\\d+</a>").matcher(page.raw()).results().count();
    }

    private static String link(Api.Response page, String rel) {
        Matcher link = Pattern.compile("href=\"([^\"]+)\"[^>]*rel=\"" + rel + "\"").matcher(page.raw());
        assertThat(link.find()).as("a " + rel + " link").isTrue();
        return link.group(1);
    }

    @Autowired
    JavaMailSender mail;

    /** Administrator → Mailbox lists what the embedded SMTP capture received and shows each message as sent. */
    @Test
    void adminsReadTheEmbeddedCapturesEmailsInTheMailbox() throws Exception {
        String admin = adminToken();
        String subject = "Mailbox check " + UUID.randomUUID() + " <b>not bold</b>";
        jakarta.mail.internet.MimeMessage message = mail.createMimeMessage();
        org.springframework.mail.javamail.MimeMessageHelper helper =
                new org.springframework.mail.javamail.MimeMessageHelper(message, false, "UTF-8");
        helper.setFrom("tokenledger@example.com");
        helper.setTo("owner@example.com");
        helper.setSubject(subject);
        helper.setText("Your token ci-deploy expires in 7 days.");
        mail.send(message);

        Api.Response list = api.get("/admin/mailbox", admin);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.raw()).contains("owner@example.com", "Mailbox check", "&lt;b&gt;not bold&lt;/b&gt;")
                .doesNotContain("<b>not bold</b>");
        assertThat(api.get("/profile", admin).raw()).contains("href=\"/admin/mailbox\"");
        java.util.regex.Matcher link = java.util.regex.Pattern.compile(
                "href=\"/admin/mailbox/([0-9a-f]{20})\">Mailbox check " + subject.substring(14, 50)).matcher(list.raw());
        assertThat(link.find()).as(list.raw()).isTrue();

        Api.Response shown = api.get("/admin/mailbox/" + link.group(1), admin);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.raw()).contains("Your token ci-deploy expires in 7 days.", "Message-ID", "owner@example.com",
                "Content-Type");
        assertThat(api.get("/admin/mailbox/00000000000000000000", admin).status()).isEqualTo(404);

        String auditorName = unique("mailbox-auditor");
        api.createUser(admin, auditorName, "AUDITOR", Api.PASSWORD);
        String auditor = api.login(auditorName, Api.PASSWORD);
        assertThat(api.get("/admin/mailbox", auditor).status()).isEqualTo(403);
        assertThat(api.get("/admin/users", auditor).raw()).doesNotContain("/admin/mailbox");
    }
}
