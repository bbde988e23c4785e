package io.tokenledger.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.app.IssuedSecrets;
import io.tokenledger.app.webhook.Receiver;
import io.tokenledger.app.webhook.StandardWebhooksVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in Debian's headless Chromium: log in, add a user, give them a token from their Tokens tab and use
 * it on the API, revoke it from User Tokens and watch rows change without a reload, create a token from the
 * Profile's modal, set the notification keys and acknowledge a fault, watch the dashboard follow changes, read a
 * token's history, and see a page refused to a role. With {@code -Dconsole.screenshots=true} each screen is saved under {@code docs/screenshots/}.
 */
class ConsoleBrowserTest extends IntegrationTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

    private static WebDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void startBrowser() {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            String missing = "the console's browser tests need Debian's packages 'chromium' and 'chromium-driver' "
                    + "(apt-get install -y chromium chromium-driver)";
            if (Boolean.getBoolean("console.browser.required")
                    || Boolean.parseBoolean(System.getenv("TOKENLEDGER_BROWSER_TESTS_REQUIRED"))) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        ChromeOptions options = chromeOptions();
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        // Live updates replace rows while a condition looks at them: look again rather than fail.
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** Debian's headless Chromium, as every browser of these tests runs it. */
    private static ChromeOptions chromeOptions() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--lang=en-US");
        return options;
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void signedInAsAdmin() {
        browser.get(url("/profile"));
        if (browser.getCurrentUrl().contains("/login")) {
            login("admin", ADMIN_PASSWORD);
        }
        wait.until(ExpectedConditions.urlContains("/profile"));
    }

    /**
     * The embedded default marks its cookies Secure (the session's, the login form's {@code __Host-} one) and serves
     * plain HTTP: a browser at http://localhost, a secure context, keeps them, so the quick start's console logs in.
     */
    @Test
    void theQuickStartsConsoleLogsInOverPlainHttpOnLocalhostWithItsSecureCookies() {
        try (org.springframework.context.ConfigurableApplicationContext secure =
                     io.tokenledger.app.Instances.start("--tokenledger.session.secure-cookie=true")) {
            String base = "http://localhost:" + io.tokenledger.app.Instances.port(secure);
            browser.get(base + "/login");
            // cookies are per host, not per port: the shared instance's session would sign this one in already
            browser.manage().deleteAllCookies();
            browser.get(base + "/login");
            browser.findElement(By.id("username")).sendKeys("admin");
            browser.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            // an administrator lands on the Dashboard
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
            assertThat(browser.getCurrentUrl()).doesNotContain("expired");
            assertThat(browser.manage().getCookieNamed("tl_session")).isNotNull();
            browser.manage().deleteAllCookies();
        }
    }

    @Test
    void loginRefusesAWrongPasswordAndConsolePagesAskForALogin() {
        logOut();
        browser.get(url("/access/tokens"));
        assertThat(browser.getCurrentUrl()).endsWith("/login?next=%2Faccess%2Ftokens");
        screenshot("login");

        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("not-the-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText())
                .isEqualTo("Wrong username or password.");

        login("admin", ADMIN_PASSWORD);
        // back to the page that asked for the login
        wait.until(ExpectedConditions.urlContains("/access/tokens"));
        assertThat(browser.findElement(By.tagName("nav")).getText()).contains("Profile", "Users", "User Tokens");
    }

    @Test
    void tokenFromTheUsersTokensTabWorksOnTheApiAndIsRevokedLiveFromUserTokens() {
        String username = unique("console");
        browser.get(url("/admin/users"));
        browser.findElement(By.id("new-username")).sendKeys(username);
        browser.findElement(By.id("new-email")).sendKeys(username + "@example.com");
        browser.findElement(By.id("new-password")).sendKeys("a-long-password");
        screenshot("users");
        browser.findElement(By.cssSelector("#add-user-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), username));
        assertThat(browser.findElement(By.id("user-notice")).getText()).isEqualTo("The user has been added.");
        String page = browser.getCurrentUrl().replaceFirst("\\?.*", "");
        String userId = page.substring(page.lastIndexOf('/') + 1);

        browser.findElement(By.id("add-token-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("create-token-pane"),
                "Create a new token"));
        String name = "deploy-" + username;
        browser.findElement(By.id("token-name")).sendKeys(name);
        browser.findElement(By.cssSelector("#create-token-form button[type=submit]")).click();
        WebElement value = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-token-value")));
        String token = value.getDomProperty("value");
        assertThat(token).matches("tlp_[0-9A-Za-z]{38}");
        assertThat(browser.findElement(By.id("token-created")).getText())
                .contains("Token Created", "Copy the token now — it will not be shown again");
        WebElement copy = browser.findElement(By.cssSelector("#token-created button[data-copy]"));
        assertThat(copy.getText()).isEqualTo("Copy");
        value.sendKeys(Keys.TAB);
        assertThat(browser.switchTo().activeElement()).isEqualTo(copy);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-tokens"), name));
        screenshot("user-tokens-tab");

        assertThat(api.get("/api/tokens/self", token).status()).isEqualTo(200);

        browser.get(url("/access/tokens?q=" + name));
        // The row may be re-rendered live (its first use was just recorded): read it where it is now.
        String rowId = wait.until(d -> d.findElement(By.xpath("//tr[td[1][normalize-space()='" + name + "']]"))
                .getDomAttribute("id"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id(rowId), username));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id(rowId), "Active"));
        awaitLiveStream();
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

        // The row may be re-rendered live (its last use was just recorded) between finding and clicking.
        wait.until(d -> {
            d.findElement(By.id(rowId)).findElement(By.xpath(".//button[normalize-space()='Revoke']")).click();
            return true;
        });
        confirmRevoke(null);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id(rowId), "Revoked"));
        assertThat(api.get("/api/tokens/self", token).status()).isEqualTo(401);

        // Changes made elsewhere arrive over the stream: a new token appears, and its revocation shows.
        String admin = adminToken();
        String second = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", name + "-ci"))
                .json().get("id").asText();
        WebDriverWait live = new WebDriverWait(browser, Duration.ofSeconds(30));
        live.ignoring(StaleElementReferenceException.class);
        live.until(ExpectedConditions.presenceOfElementLocated(By.id("token-" + second)));
        assertThat(api.post("/api/tokens/" + second + "/revoke", admin, null).status()).isEqualTo(200);
        live.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-" + second), "Revoked"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"))
                .isEqualTo(true);
        screenshot("user-tokens");
    }

    @Test
    void tokensCreatedOneAfterAnotherAllAppearLiveInUserTokens() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("pair"), "USER", "a-long-password");
        String prefix = unique("pair");
        browser.get(url("/access/tokens?q=" + prefix));
        awaitLiveStream();
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

        // Two tokens at a time: the second one's change reaches the page about when the page is reloading its list
        // for the first, and the list must not settle without it.
        WebDriverWait live = new WebDriverWait(browser, Duration.ofSeconds(30));
        live.ignoring(StaleElementReferenceException.class);
        for (int round = 1; round <= 8; round++) {
            String first = createToken(admin, userId, prefix + "-" + round + "a", Duration.ofDays(30));
            String second = createToken(admin, userId, prefix + "-" + round + "b", Duration.ofDays(30));
            live.until(ExpectedConditions.presenceOfElementLocated(By.id("token-" + second)));
            live.until(ExpectedConditions.presenceOfElementLocated(By.id("token-" + first)));
        }
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"))
                .isEqualTo(true);
    }

    @Test
    void profileCreatesATokenThroughTheModalAndRefusesADateNotAfterToday() {
        WebElement copyTemporary = browser.findElement(By.id("copy-temporary-token"));
        assertThat(copyTemporary.getDomAttribute("aria-label")).isEqualTo("Copy temporary API token");
        browser.findElement(By.id("temporary-token")).sendKeys(Keys.TAB, Keys.TAB);
        assertThat(browser.switchTo().activeElement()).isEqualTo(copyTemporary);
        screenshot("profile");

        browser.findElement(By.id("create-token-button")).click();
        WebElement nameField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-name")));
        assertThat(browser.findElement(By.id("create-token-dialog-title")).getText()).isEqualTo("Create API Token");
        String name = unique("laptop");
        nameField.sendKeys(name);
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        setExpiry(yesterday);
        submitDialog();
        wait.until(ExpectedConditions.textToBe(By.id("token-expiry-error"), "Expiry Date must be after today."));
        assertThat(browser.findElements(By.id("token-created"))).isEmpty();

        // Past the form's own check, the server refuses the date too, and says so at the same place.
        ((JavascriptExecutor) browser).executeScript("document.getElementById('create-token-form').noValidate = true;");
        submitDialog();
        wait.until(ExpectedConditions.textToBe(By.id("token-expiry-error"), "Expiry Date must be in the future"));
        assertThat(browser.findElements(By.id("token-created"))).isEmpty();

        String expiry = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
        setExpiry(expiry);
        // the scopes: api ticked by default, read_api beside it, and the platform's registered ones
        assertThat(browser.findElement(By.id("token-scope-api")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("token-scope-read_api")).isSelected()).isFalse();
        browser.findElement(By.id("token-scope-read_api")).click();
        screenshot("create-api-token");
        submitDialog();
        WebElement created = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-created")));
        assertThat(created.getText()).contains("Token Created", "Copy the token now — it will not be shown again");
        String token = browser.findElement(By.id("created-token-value")).getDomProperty("value");
        assertThat(api.get("/api/tokens/self", token).json().get("name").asText()).isEqualTo(name);
        assertThat(api.get("/api/tokens/self", token).json().get("scopes").toString())
                .isEqualTo("[\"api\",\"read_api\"]");
        screenshot("token-created");

        // Where the page has no Clipboard API (plain HTTP on a host other than localhost), Copy still copies
        ((JavascriptExecutor) browser).executeScript(
                "Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});");
        created.findElement(By.xpath(".//button[normalize-space()='Copy']")).click();
        wait.until(ExpectedConditions.textToBePresentInElement(
                created.findElement(By.xpath("ancestor::dialog//p[contains(@class,'copy-status')]")),
                "Copied to the clipboard."));

        created.findElement(By.xpath(".//a[normalize-space()='Close']")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("create-token-dialog")));
        By row = By.xpath("//div[@id='api-tokens']//tr[td[1][normalize-space()='" + name + "']]");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "Active"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row, expiry));
    }

    @Test
    void adminSetsBothNotificationKeysOnTheConfigTabAndSeesInvalidValuesRefusedInline() {
        try {
            browser.get(url("/admin/settings"));
            // the Value field says the chosen key's format
            browser.findElement(By.id("add-config-button")).click();
            org.openqa.selenium.support.ui.Select key =
                    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("config-key")));
            key.selectByVisibleText("Enable User Token Expiration Notifications");
            assertThat(browser.findElement(By.id("config-value-hint")).getText()).contains("30;7;1");
            key.selectByVisibleText("User Token Expiration Notification Emails");
            assertThat(browser.findElement(By.id("config-value-hint")).getText())
                    .contains("separated by semicolons (not commas)");
            assertThat(browser.findElement(By.id("config-value")).getDomAttribute("placeholder"))
                    .isEqualTo("ops@example.com;security@example.com");
            addConfig("User Token Expiration Notification Emails", "ops@example.com, security@example.com");
            assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("config-value-error")))
                    .getText()).contains("separated by semicolons, not commas");

            addConfig("Enable User Token Expiration Notifications", "7");
            assertThat(browser.findElement(By.id("settings-notice")).getText()).isEqualTo("The setting has been saved.");
            addConfig("User Token Expiration Notification Emails", "ops@example.com;security@example.com");
            WebElement table = browser.findElement(By.id("config-table"));
            assertThat(table.getText()).contains("Enable User Token Expiration Notifications", "7",
                    "User Token Expiration Notification Emails", "ops@example.com", "security@example.com");

            addConfig("User Token Expiration Notification Emails", "not-an-address");
            WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("config-value-error")));
            assertThat(error.getText()).isNotBlank();
            assertThat(browser.findElement(By.id("config-value")).getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.findElement(By.id("config-table")).getText()).contains("security@example.com");
            screenshot("systems-settings");
        } finally {
            clearNotificationSettings();
        }
        assertThat(browser.findElement(By.id("config-table")).getText())
                .doesNotContain("User Token Expiration Notification Emails");
    }

    @Test
    void anAdminAddsAWebhookSeesItsSecretOnceSendsATestAndRedeliversIt() {
        try (Receiver receiver = new Receiver()) {
            browser.get(url("/admin/webhooks"));
            browser.findElement(By.id("add-webhook-button")).click();
            browser.findElement(By.id("webhook-url")).sendKeys(receiver.url("/console"));
            browser.findElement(By.id("webhook-event-token.revoked")).click();
            browser.findElement(By.id("webhook-event-token.expiry_approaching")).click();
            browser.findElement(By.id("webhook-description")).sendKeys("CI secret store");
            browser.findElement(By.xpath("//button[normalize-space()='Add webhook']")).click();

            String secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("webhook-secret-value")))
                    .getAttribute("value");
            IssuedSecrets.recordIn(secret);
            assertThat(secret).startsWith("whsec_");
            assertThat(browser.findElement(By.id("webhook-events")).getText())
                    .isEqualTo("token.revoked, token.expiry_approaching");
            screenshot("webhook-added");

            browser.findElement(By.id("webhook-test-button")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("webhook-tested")));
            assertThat(browser.getPageSource()).as("the secret, shown once").doesNotContain(secret);
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> receiver.requests().size() == 1);
            Receiver.Request ping = receiver.requests().get(0);
            new StandardWebhooksVerifier(secret).verify(ping.header("webhook-id"), ping.header("webhook-timestamp"),
                    ping.header("webhook-signature"), ping.body(), ping.at());
            assertThat(ping.body()).contains("\"type\":\"webhook.test\"");

            By sent = By.xpath("//table[@id='deliveries-table']//tr[td[2][normalize-space()='Sent']]");
            new WebDriverWait(browser, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(500)).until(d -> {
                d.navigate().refresh();
                return !d.findElements(sent).isEmpty();
            });
            assertThat(browser.findElement(sent).getText()).contains("webhook.test", "200");
            screenshot("webhook-deliveries");
            browser.findElement(sent).findElement(By.xpath(".//button[normalize-space()='Redeliver']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("webhook-redelivered")));
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> receiver.requests().size() == 2);
            assertThat(receiver.requests().get(1).header("webhook-id")).isEqualTo(ping.header("webhook-id"));

            browser.findElement(By.id("webhook-delete-button")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("webhook-deleted")));
            assertThat(browser.findElement(By.id("webhooks-table")).getText()).doesNotContain(receiver.url("/console"));
        }
    }

    @Test
    void aTokenExpiringInsideTheWarningWindowRaisesAFaultThatTheAdminAcknowledges() {
        browser.get(url("/admin/settings"));
        try {
            addConfig("Enable User Token Expiration Notifications", "7");
            addConfig("User Token Expiration Notification Emails", "ops@example.com;security@example.com");
            String admin = adminToken();
            String username = unique("faulty");
            String userId = api.post("/api/users", admin, Map.of("username", username, "email",
                    username + "@example.com", "password", "a-long-password", "role", "USER")).json().get("id").asText();
            String name = unique("expiring");
            api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", name,
                    "expiresAt", Instant.now().plus(Duration.ofDays(3)).toString()));

            By row = By.xpath("//table[@id='faults-table']//tr[td[1][normalize-space()='" + name + "']]");
            new WebDriverWait(browser, Duration.ofSeconds(30)).pollingEvery(Duration.ofSeconds(1)).until(d -> {
                d.get(url("/faults"));
                return !d.findElements(row).isEmpty();
            });
            assertThat(browser.findElement(row).getText()).contains(username, "Open");
            screenshot("faults");
            // the list sorts by a column: its header says so
            browser.findElement(sortLink("tokenName")).click();
            wait.until(ExpectedConditions.urlContains("sort=tokenName,asc"));
            assertThat(browser.findElement(By.xpath("//th[.//a[contains(@href, 'sort=tokenName')]]"))
                    .getDomAttribute("aria-sort")).isEqualTo("ascending");
            // back to the list's own order (the newest first), where this fault is on the first page whatever other
            // tests left behind
            browser.get(url("/faults"));
            browser.findElement(row).findElement(By.xpath(".//button[normalize-space()='Acknowledge']")).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
            assertThat(browser.findElement(By.id("faults-notice")).getText())
                    .isEqualTo("The fault has been acknowledged.");

            // the warning e-mails, captured by the embedded SMTP server, are read in Administrator → Mailbox
            By mailed = By.xpath("//table[@id='mailbox-table']//tr[td[2][contains(., '" + username
                    + "@example.com')]]//a[contains(., '" + name + "')]");
            browser.findElement(By.linkText("Mailbox")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).pollingEvery(Duration.ofSeconds(1)).until(d -> {
                d.get(url("/admin/mailbox"));
                return !d.findElements(mailed).isEmpty();
            });
            screenshot("mailbox");
            browser.findElement(mailed).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message-headers")));
            assertThat(browser.findElement(By.tagName("main")).getText()).contains(name, username)
                    .containsIgnoringCase("Message-ID");
        } finally {
            clearNotificationSettings();
        }
    }

    @Test
    void theDashboardCountsTokensByStatusAndWhatExpiresSoonAndFollowsChangesLive() {
        browser.get(url("/"));
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
        awaitLiveStream();
        long active = figure("#count-active .stat-value");
        long revoked = figure("#count-revoked .stat-value");
        long in7 = figure("#expiring-7");
        long in30 = figure("#expiring-30");
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");

        String admin = adminToken();
        String userId = api.createUser(admin, unique("dash"), "USER", "a-long-password");
        String soon = unique("soon");
        String later = unique("later");
        // Sooner than any other test's token, so it is among the few the dashboard lists.
        createToken(admin, userId, soon, Duration.ofHours(2));
        createToken(admin, userId, later, Duration.ofDays(20));
        String gone = createToken(admin, userId, unique("gone"), Duration.ofDays(200));
        assertThat(api.post("/api/tokens/" + gone + "/revoke", admin, null).status()).isEqualTo(200);

        WebDriverWait live = new WebDriverWait(browser, Duration.ofSeconds(30));
        live.ignoring(StaleElementReferenceException.class);
        live.until(d -> figure("#count-active .stat-value") == active + 2 && figure("#count-revoked .stat-value") == revoked + 1
                && figure("#expiring-7") == in7 + 1 && figure("#expiring-30") == in30 + 2);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("expiring-table"), soon));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"))
                .isEqualTo(true);
        screenshot("dashboard");

        // the 7-day figure is the list of those tokens
        browser.findElement(By.id("expiring-7-link")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("expiring-filter")));
        assertThat(browser.getCurrentUrl()).contains("expiringWithinDays=7");
        assertThat(browser.findElement(By.id("token-table")).getText()).contains(soon).doesNotContain(later);
    }

    @Test
    void aTokensHistoryIsATimelineOfWhoDidWhatWithItsStateAtAnyMoment() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("audited"), "USER", "a-long-password");
        String name = unique("audited-token");
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", name));
        String id = created.json().get("id").asText();
        assertThat(api.get("/api/tokens/self", created.json().get("token").asText()).status()).isEqualTo(200);
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                d -> !api.get("/api/tokens/" + id, admin).json().path("lastUsedAt").isNull());
        // its first use from this address is recorded, off the request path
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                d -> api.get("/api/audit/tokens/" + id + "/events", admin).raw().contains("TokenUsedFromNewAddress"));
        assertThat(api.post("/api/tokens/" + id + "/revoke", admin, Map.of("reason", "shown in a build log"))
                .status()).isEqualTo(200);

        browser.get(url("/access/tokens?q=" + name));
        wait.until(d -> {
            d.findElement(By.linkText(name)).click();
            return true;
        });
        wait.until(ExpectedConditions.urlContains("/access/tokens/" + id + "/audit"));
        assertThat(browser.findElements(By.cssSelector("#timeline h3")).stream().map(WebElement::getText))
                .containsExactly("Token revoked", "Token used from new address", "Permanent token created");
        // A use is telemetry, not a change of the token: it shows as the token's last use; only a first use from an
        // address is in its history.
        assertThat(browser.findElement(By.xpath("//dt[normalize-space()='Last used']/following-sibling::dd[1]"))
                .getText()).isNotEqualTo("\u2014");
        assertThat(browser.findElement(By.id("timeline")).getText())
                .contains("Revoked: shown in a build log", "By admin (Admin)", "Named \u201c" + name + "\u201d");
        assertThat(browser.findElement(By.id("current-status")).getText()).isEqualTo("Revoked");
        assertThat(browser.findElement(By.id("state-status")).getText()).isEqualTo("Revoked");
        screenshot("token-audit");

        String beforeIt = LocalDateTime.now(ZoneOffset.UTC).minusMinutes(2).truncatedTo(ChronoUnit.MINUTES).toString();
        ((JavascriptExecutor) browser).executeScript("document.getElementById('state-at').value = arguments[0];", beforeIt);
        browser.findElement(By.cssSelector("#state-form button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("state-none"))).getText())
                .isEqualTo("The token did not exist yet at that moment.");
    }

    @Test
    void aTokensPageShowsWhereItIsUsed() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("where"), "USER", "a-long-password");
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", unique("where")));
        String id = created.json().get("id").asText();
        String token = created.json().get("token").asText();
        assertThat(api.call("GET", "/api/me", null, Map.of("Authorization", "Bearer " + token,
                "User-Agent", "where-used-test/1.0")).status()).isEqualTo(200);
        // uses are written by the recorder's periodic flush
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(
                d -> api.get("/api/tokens/" + id + "/usage", admin).json().size() == 1);

        browser.get(url("/access/tokens/" + id + "/audit"));
        WebElement table = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("where-used")));
        assertThat(table.findElements(By.cssSelector("tbody tr"))).hasSize(1);
        assertThat(table.getText()).contains("127.0.0.1", "where-used-test/1.0");
        screenshot("token-where-used");
    }

    @Test
    void theConfigPanePreviewsAMaxLifetimeChangeWithTheTokensExceedingIt() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("lifetime"), "USER", "a-long-password");
        assertThat(api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", "a-year")).status())
                .isEqualTo(201);
        String config = api.get("/api/settings/app-config", admin).raw();
        long expected = api.put("/api/settings/app-config/Permanent%20Token%20Max%20Lifetime%20Days?dryRun=true",
                admin, Map.of("value", "30")).json().at("/impact/exceedingMaximum/count").asLong();
        assertThat(expected).isPositive();

        browser.get(url("/admin/settings"));
        browser.findElement(By.id("add-config-button")).click();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("config-key")))
                .selectByVisibleText("Permanent Token Max Lifetime Days");
        browser.findElement(By.id("config-value")).sendKeys("30");
        browser.findElement(By.id("preview-config")).click();
        WebElement count = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#config-preview-impact .impact-count")));
        assertThat(Long.parseLong(count.getText())).isEqualTo(expected);
        assertThat(browser.findElement(By.id("config-preview")).getText())
                .contains("Active tokens expiring later than the new maximum", "keep their expiry",
                        "Nothing has changed");
        assertThat(browser.getCurrentUrl()).as("previewed in place").endsWith("/admin/settings");
        screenshot("config-preview");
        assertThat(api.get("/api/settings/app-config", admin).raw()).as("nothing changed").isEqualTo(config);

        browser.findElement(By.id("config-value")).clear();
        browser.findElement(By.id("config-value")).sendKeys("0");
        browser.findElement(By.id("preview-config")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("config-preview-error")))
                .getText()).contains("out of range");
    }

    @Test
    void aUserWhoseRoleDoesNotAllowAPageIsToldSoInTheConsole() {
        String username = unique("plain");
        api.createUser(adminToken(), username, "USER", "a-long-password");
        logOut();
        try {
            login(username, "a-long-password");
            wait.until(ExpectedConditions.urlContains("/profile"));
            assertThat(browser.findElement(By.tagName("nav")).getText()).doesNotContain("Users", "Dashboard");
            browser.get(url("/admin/users"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("You do not have access to this page");
            assertThat(browser.findElement(By.cssSelector(".user-menu summary")).getText()).contains(username);
            screenshot("forbidden");
            browser.findElement(By.linkText("Go to your Profile")).click();
            wait.until(ExpectedConditions.urlContains("/profile"));
        } finally {
            logOut();
        }
    }

    /**
     * Disable user, Enable user and Revoke ask first, in a dialog that takes the focus: what will happen (how many
     * tokens of which kind), that it cannot be undone, the optional reason; and the row of this very login session
     * says that revoking it logs you out, which it does.
     */
    @Test
    void destructiveActionsAskFirstInADialogAndSayWhatWillHappen() {
        String admin = adminToken();
        String username = unique("careful");
        String userId = api.createUser(admin, username, "USER", "a-long-password");
        String name = unique("careful-ci");
        String tokenId = createToken(admin, userId, name, Duration.ofDays(30));
        createToken(admin, userId, name + "-2", Duration.ofDays(30));
        api.login(username, "a-long-password");

        browser.get(url("/admin/users/" + userId));
        // Revoke asks for the reason, which the token's history keeps
        browser.findElement(By.id("token-" + tokenId)).findElement(By.xpath(".//button[normalize-space()='Revoke']"))
                .click();
        WebElement revokeDialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("revoke-dialog")));
        assertThat(revokeDialog.getText()).contains(name, "cannot be undone");
        assertThat(browser.findElement(By.id("revoke-self")).isDisplayed()).isFalse();
        assertThat(browser.switchTo().activeElement()).isEqualTo(browser.findElement(By.id("revoke-reason")));
        screenshot("revoke-dialog");
        confirmRevoke("pasted in a chat");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-" + tokenId), "Revoked"));
        assertThat(browser.findElement(By.id("action-notice")).getText())
                .isEqualTo("Token " + name + " has been revoked.");
        assertThat(api.get("/api/tokens/" + tokenId, admin).json().get("revokeReason").asText())
                .isEqualTo("pasted in a chat");

        // Disable user counts what it revokes, by kind; Cancel leaves everything as it was
        browser.findElement(By.id("user-status-button")).click();
        WebElement disable = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("disable-dialog")));
        // counted as the dialog opens: the token just revoked is not among them
        wait.until(ExpectedConditions.textToBe(By.id("disable-count"), "1 permanent token and 1 login session"));
        assertThat(disable.getText()).contains("This cannot be undone");
        assertThat(disable.findElements(By.id("disable-self"))).isEmpty();
        assertThat(disable.findElement(By.xpath(".//*[self::button or self::a][contains(., 'Cancel')]")))
                .isEqualTo(browser.switchTo().activeElement());
        screenshot("disable-dialog");
        disable.findElement(By.xpath(".//button[normalize-space()='Cancel']")).click();
        wait.until(ExpectedConditions.invisibilityOf(disable));
        assertThat(browser.findElement(By.id("user-status")).getText()).isEqualTo("Enabled");
        browser.findElement(By.id("user-status-button")).click();
        wait.until(ExpectedConditions.visibilityOf(disable));
        disable.findElement(By.xpath(".//button[normalize-space()='Disable user']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("user-status"), "Disabled"));
        assertThat(browser.findElement(By.id("user-notice")).getText()).contains("disabled");

        // Enable says the revoked tokens stay revoked
        browser.findElement(By.id("user-status-button")).click();
        WebElement enable = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("enable-dialog")));
        assertThat(enable.getText()).contains("Tokens revoked when the user was disabled stay revoked");
        enable.findElement(By.xpath(".//button[normalize-space()='Enable user']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("user-status"), "Enabled"));

        // one's own account: disabling it would log you out, and is refused
        String adminId = api.get("/api/me", admin).json().get("id").asText();
        browser.get(url("/admin/users/" + adminId));
        browser.findElement(By.id("user-status-button")).click();
        WebElement own = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("disable-dialog")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("disable-self"), "this will log you out"));
        assertThat(own.findElement(By.xpath(".//button[normalize-space()='Disable user']")).isEnabled()).isFalse();
        own.findElement(By.xpath(".//button[normalize-space()='Cancel']")).click();

        // the row of this very login session says so, and revoking it logs out
        browser.get(url("/access/tokens?kind=TEMPORARY&userId=" + adminId));
        WebElement badge = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".session-badge")));
        assertThat(badge.getText()).isEqualTo("This session");
        badge.findElement(By.xpath("ancestor::tr//button[normalize-space()='Revoke']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("revoke-self")));
        assertThat(browser.findElement(By.id("revoke-self")).getText()).contains("this will log you out");
        confirmRevoke(null);
        wait.until(ExpectedConditions.urlContains("/login"));
    }

    /**
     * Rotate, by an administrator from User Tokens and by an owner from their Profile: the dialog says which expiry
     * the new token gets (the old one's unless a date is chosen), Token Created shows the new secret once, the old
     * one stops working. The owner revokes their own token too; the user page's Token Created pane closes and Add
     * has Cancel.
     */
    @Test
    void adminsAndOwnersRotateAndOwnersRevokeTheirOwnTokens() {
        String admin = adminToken();
        String username = unique("rotor");
        String userId = api.createUser(admin, username, "USER", "a-long-password");
        String name = unique("rotating");
        Instant expiry = Instant.now().plus(Duration.ofDays(40));
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", name, "expiresAt", expiry.toString()));
        String oldId = created.json().get("id").asText();
        String oldSecret = created.json().get("token").asText();

        browser.get(url("/access/tokens?q=" + name));
        wait.until(d -> {
            d.findElement(By.id("token-" + oldId)).findElement(By.xpath(".//button[normalize-space()='Rotate']"))
                    .click();
            return true;
        });
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-form")));
        String oldExpiry = LocalDate.ofInstant(expiry, ZoneOffset.UTC).toString();
        assertThat(dialog.getText()).contains("Keep the current expiry: " + oldExpiry, "The old one is revoked now");
        assertThat(browser.findElement(By.id("rotate-keep")).isSelected()).isTrue();
        wait.until(d -> d.switchTo().activeElement().equals(d.findElement(By.id("rotate-keep"))));
        screenshot("rotate-dialog");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement value = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-token-value")));
        assertThat(browser.switchTo().activeElement()).isEqualTo(value);
        assertThat(browser.findElement(By.id("token-created")).getText())
                .contains("Token Created", "Copy the token now — it will not be shown again");
        assertThat(browser.findElement(By.id("rotated-expiry")).getText()).isEqualTo(oldExpiry);
        String newSecret = value.getDomProperty("value");
        assertThat(api.get("/api/tokens/self", newSecret).status()).isEqualTo(200);
        assertThat(api.get("/api/tokens/self", oldSecret).status()).isEqualTo(401);
        browser.findElement(By.xpath("//dialog[@id='rotate-dialog']//button[normalize-space()='Close']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-" + oldId), "Revoked"));
        assertThat(browser.findElements(By.id("created-token-value"))).isEmpty();

        // the owner, on their Profile: Rotate with a new date, then Revoke
        logOut();
        try {
            login(username, "a-long-password");
            wait.until(ExpectedConditions.urlContains("/profile"));
            By row = By.xpath("//div[@id='api-tokens']//tr[td[1][normalize-space()='" + name + "']"
                    + " and .//span[normalize-space()='Active']]");
            wait.until(ExpectedConditions.presenceOfElementLocated(row)).findElement(
                    By.xpath(".//button[normalize-space()='Rotate']")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-form")));
            String later = LocalDate.now(ZoneOffset.UTC).plusDays(90).toString();
            ((JavascriptExecutor) browser).executeScript(
                    "const f = document.getElementById('rotate-expiry'); f.value = arguments[0];"
                            + " f.dispatchEvent(new Event('input', {bubbles: true}));", later);
            assertThat(browser.findElement(By.id("rotate-choose")).isSelected()).isTrue();
            browser.findElement(By.cssSelector("#rotate-form button[type=submit]")).click();
            wait.until(ExpectedConditions.textToBe(By.id("rotated-expiry"), later));
            String ownSecret = browser.findElement(By.id("created-token-value")).getDomProperty("value");
            assertThat(api.get("/api/tokens/self", ownSecret).status()).isEqualTo(200);
            browser.findElement(By.xpath("//dialog[@id='rotate-dialog']//button[normalize-space()='Close']")).click();

            wait.until(ExpectedConditions.textToBePresentInElementLocated(row, later));
            browser.findElement(row).findElement(By.xpath(".//button[normalize-space()='Revoke']")).click();
            confirmRevoke("no longer needed");
            wait.until(d -> d.findElements(row).isEmpty());
            assertThat(api.get("/api/tokens/self", ownSecret).status()).isEqualTo(401);
        } finally {
            browser.get(url("/profile"));
            logOut();
            login("admin", ADMIN_PASSWORD);
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
        }

        // the user page: Add has Cancel, and the Token Created pane closes
        browser.get(url("/admin/users/" + userId));
        browser.findElement(By.id("add-token-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("create-token-form")));
        browser.findElement(By.xpath("//form[@id='create-token-form']//a[normalize-space()='Cancel']")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("create-token-form")));
        assertThat(browser.switchTo().activeElement()).isEqualTo(browser.findElement(By.id("add-token-button")));
        browser.findElement(By.id("add-token-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-name"))).sendKeys(name + "-2");
        browser.findElement(By.cssSelector("#create-token-form button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-token-value")));
        browser.findElement(By.xpath("//section[@id='token-created']//a[normalize-space()='Close']")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("token-created")));
        assertThat(browser.findElements(By.id("created-token-value"))).isEmpty();

        // the confirmation page (a link to it, or a browser without the dialog) is a plain form, script or not
        String third = createToken(admin, userId, name + "-3", Duration.ofDays(30));
        browser.get(url("/access/tokens/" + third + "/rotate"));
        browser.findElement(By.cssSelector("#rotate-form button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-token-value")))
                .getDomProperty("value")).startsWith("tlp_");
    }

    /**
     * Rotate with a grace period: the dialog offers one, Token Created says until when the old token keeps working,
     * and the token table shows it Rotating, until when, and which token replaces it; it still authenticates.
     */
    @Test
    void aRotationWithAGracePeriodLeavesTheOldTokenRotating() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("graceful"), "USER", "a-long-password");
        String name = unique("graced");
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin, Map.of("name", name));
        String oldId = created.json().get("id").asText();
        String oldSecret = created.json().get("token").asText();

        browser.get(url("/access/tokens?q=" + name));
        wait.until(d -> {
            d.findElement(By.id("token-" + oldId)).findElement(By.xpath(".//button[normalize-space()='Rotate']"))
                    .click();
            return true;
        });
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-form")));
        Select grace = new Select(browser.findElement(By.id("rotate-grace")));
        assertThat(grace.getFirstSelectedOption().getText()).isEqualTo("None: revoke it now");
        assertThat(grace.getOptions()).extracting(WebElement::getText)
                .containsExactly("None: revoke it now", "1 hour", "24 hours", "7 days");
        grace.selectByVisibleText("24 hours");
        browser.findElement(By.cssSelector("#rotate-form button[type=submit]")).click();
        String until = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("rotated-grace"))).getText();
        JsonNode oldView = api.get("/api/tokens/" + oldId, admin).json();
        assertThat(oldView.get("status").asText()).isEqualTo("ROTATING");
        String newId = oldView.get("supersededBy").asText();
        assertThat(until).isNotBlank();
        assertThat(browser.findElement(By.id("token-created")).getText()).contains("keeps working until");
        browser.findElement(By.xpath("//dialog[@id='rotate-dialog']//button[normalize-space()='Close']")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-" + oldId), "Rotating"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("grace-" + oldId),
                "replaced by " + newId.substring(0, 8)));
        assertThat(browser.findElement(By.id("grace-" + oldId)).getText()).startsWith("until " + until);
        By row = By.id("token-" + oldId);
        assertThat(browser.findElement(row).findElements(By.xpath(".//button[normalize-space()='Rotate']")))
                .isEmpty();
        assertThat(browser.findElement(row).findElements(By.xpath(".//button[normalize-space()='Revoke']")))
                .hasSize(1);
        screenshot("token-rotating");
        assertThat(api.get("/api/tokens/self", oldSecret).status()).isEqualTo(200);
    }

    /**
     * Login sessions apart from permanent tokens: User Tokens and a user's Tokens tab list permanent tokens unless
     * asked for login sessions, and each count says which kind it counts.
     */
    @Test
    void loginSessionsAreListedApartFromPermanentTokens() {
        String admin = adminToken();
        String username = unique("sessions");
        String userId = api.createUser(admin, username, "USER", "a-long-password");
        String name = unique("kept");
        createToken(admin, userId, name, Duration.ofDays(30));
        api.login(username, "a-long-password");

        browser.get(url("/admin/users/" + userId));
        assertThat(browser.findElement(By.id("permanent-tab")).getText()).isEqualTo("Tokens (1 active)");
        assertThat(browser.findElement(By.id("sessions-tab")).getText()).isEqualTo("Login sessions (1 active)");
        assertThat(browser.findElement(By.id("tokens-title")).getText()).isEqualTo("Permanent tokens");
        assertThat(browser.findElements(By.cssSelector("#user-tokens tbody tr"))).hasSize(1);
        assertThat(browser.findElement(By.id("user-tokens")).getText()).contains(name);

        browser.findElement(By.id("sessions-tab")).click();
        wait.until(ExpectedConditions.textToBe(By.id("tokens-title"), "Login sessions"));
        assertThat(browser.findElement(By.id("sessions-tab")).getDomAttribute("aria-current")).isEqualTo("page");
        assertThat(browser.findElements(By.cssSelector("#user-tokens tbody tr"))).hasSize(1);
        assertThat(browser.findElement(By.id("user-tokens")).getText()).doesNotContain(name).contains("tlt_");
        assertThat(browser.findElements(By.id("add-token-button"))).isEmpty();

        browser.get(url("/access/tokens?userId=" + userId));
        assertThat(browser.findElement(By.id("filter-kind")).getDomProperty("value")).isEqualTo("PERMANENT");
        assertThat(browser.findElement(By.id("token-table")).getText()).contains(name, "1 permanent token")
                .doesNotContain("tlt_");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-kind")))
                .selectByVisibleText("Login sessions");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-table"), "1 login session"));
        assertThat(browser.findElement(By.id("token-table")).getText()).doesNotContain(name).contains("tlt_");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-kind")))
                .selectByVisibleText("Any kind");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-table"), "2 tokens of either kind"));
        browser.get(url("/admin/users"));
        assertThat(browser.findElement(By.id("user-list-title")).findElement(By.xpath("following::thead[1]")).getText())
                .containsIgnoringCase("Active tokens (permanent and login sessions)");
    }

    /**
     * Without JavaScript, creating and revoking a token are plain forms: Add and Create Token open the form as a page,
     * Create answers with Token Created and the secret (once), Revoke asks on a confirmation page and comes back with
     * a notice. The scopes are chosen with boxes: api by default, read_api and the platform's registered scopes.
     */
    @Test
    void creatingAndRevokingATokenWorkWithoutJavaScript() {
        String admin = adminToken();
        String username = unique("nojs");
        String userId = api.createUser(admin, username, "USER", "a-long-password");
        String platform = "deploy:" + unique("nojs").substring(5);
        assertThat(api.post("/api/scopes", admin, Map.of("name", platform, "description", "Deploys")).status())
                .isEqualTo(201);

        ChromeOptions options = chromeOptions();
        options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        WebDriver plain = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        try {
            WebDriverWait until = new WebDriverWait(plain, Duration.ofSeconds(15));
            plain.get(url("/login"));
            plain.findElement(By.id("username")).sendKeys("admin");
            plain.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
            plain.findElement(By.cssSelector("button[type=submit]")).click();
            until.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
            assertThat(((JavascriptExecutor) plain).executeScript("return typeof htmx;")).as("scripts of the page")
                    .isEqualTo("undefined");

            // the user's page: Add opens the form as a page; no scope ticked is refused next to the boxes
            plain.get(url("/admin/users/" + userId));
            plain.findElement(By.id("add-token-button")).click();
            until.until(ExpectedConditions.urlContains("/tokens/new"));
            String name = unique("plain");
            plain.findElement(By.id("token-name")).sendKeys(name);
            assertThat(plain.findElement(By.id("token-scope-api")).isSelected()).isTrue();
            plain.findElement(By.id("token-scope-api")).click();
            plain.findElement(By.cssSelector("#create-token-form button[type=submit]")).click();
            assertThat(until.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-scopes-error")))
                    .getText()).isEqualTo("Scopes must name at least one scope");
            assertThat(plain.findElement(By.id("token-name")).getDomProperty("value")).isEqualTo(name);
            plain.findElement(By.id("token-scope-read_api")).click();
            plain.findElement(By.id("token-scope-" + platform)).click();
            plain.findElement(By.cssSelector("#create-token-form button[type=submit]")).click();
            WebElement value = until.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-token-value")));
            String token = value.getDomProperty("value");
            assertThat(plain.findElement(By.id("token-created")).getText())
                    .contains("Token Created", "Copy the token now — it will not be shown again");
            assertThat(plain.findElement(By.id("user-tokens")).getText()).contains(name);
            Api.Response self = api.get("/api/tokens/self", token);
            assertThat(self.status()).isEqualTo(200);
            assertThat(self.json().get("scopes").toString()).isEqualTo("[\"read_api\",\"" + platform + "\"]");
            // Close is a link back to the page, which no longer shows the secret
            plain.findElement(By.xpath("//section[@id='token-created']//a[normalize-space()='Close']")).click();
            until.until(ExpectedConditions.invisibilityOfElementLocated(By.id("token-created")));
            assertThat(plain.getPageSource()).doesNotContain(token);

            // Revoke: a confirmation page with the reason, then the page it came from with a notice
            String tokenId = self.json().get("id").asText();
            plain.findElement(By.id("token-" + tokenId)).findElement(By.xpath(".//button[normalize-space()='Revoke']"))
                    .click();
            until.until(ExpectedConditions.textToBe(By.tagName("h1"), "Revoke token"));
            plain.findElement(By.id("revoke-reason")).sendKeys("no script needed");
            plain.findElement(By.cssSelector("#confirm-form button[type=submit]")).click();
            assertThat(until.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-notice"))).getText())
                    .isEqualTo("The token has been revoked.");
            assertThat(plain.findElement(By.id("token-" + tokenId)).getText()).contains("Revoked");
            assertThat(api.get("/api/tokens/self", token).status()).isEqualTo(401);
            assertThat(api.get("/api/tokens/" + tokenId, admin).json().get("revokeReason").asText())
                    .isEqualTo("no script needed");

            // the Profile's Create Token, and Revoke from User Tokens
            plain.get(url("/profile"));
            plain.findElement(By.id("create-token-button")).click();
            until.until(ExpectedConditions.urlContains("/profile/tokens/new"));
            String own = unique("plain-own");
            plain.findElement(By.id("token-name")).sendKeys(own);
            plain.findElement(By.cssSelector("#create-token-form button[type=submit]")).click();
            String ownToken = until.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-token-value")))
                    .getDomProperty("value");
            assertThat(api.get("/api/tokens/self", ownToken).json().get("scopes").toString()).isEqualTo("[\"api\"]");
            String ownId = api.get("/api/tokens/self", ownToken).json().get("id").asText();
            plain.get(url("/access/tokens?q=" + own));
            plain.findElement(By.id("token-" + ownId)).findElement(By.xpath(".//button[normalize-space()='Revoke']"))
                    .click();
            until.until(ExpectedConditions.textToBe(By.tagName("h1"), "Revoke token"));
            plain.findElement(By.cssSelector("#confirm-form button[type=submit]")).click();
            assertThat(until.until(ExpectedConditions.visibilityOfElementLocated(By.id("tokens-notice"))).getText())
                    .isEqualTo("The token has been revoked.");
            assertThat(api.get("/api/tokens/self", ownToken).status()).isEqualTo(401);
        } finally {
            plain.quit();
        }
    }

    /** Users and User Tokens sort by their column headers (the API's sort), keeping the filters; aria-sort says how. */
    @Test
    void listsSortByTheirColumnHeaders() {
        String admin = adminToken();
        String prefix = unique("sorted");
        String first = api.createUser(admin, prefix + "-a", "USER", "a-long-password");
        api.createUser(admin, prefix + "-b", "AUDITOR", "a-long-password");
        createToken(admin, first, prefix + "-x", Duration.ofDays(30));
        createToken(admin, first, prefix + "-y", Duration.ofDays(60));

        // found by the search, which the sort keeps: the whole list has more users than a page
        browser.get(url("/admin/users?q=" + prefix));
        By usernameHeader = By.xpath("//th[.//a[contains(@href, 'sort=username')]]");
        browser.findElement(sortLink("username")).click();
        wait.until(ExpectedConditions.urlContains("sort=username,asc"));
        assertThat(browser.getCurrentUrl()).contains("q=" + prefix);
        assertThat(browser.findElement(usernameHeader).getDomAttribute("aria-sort")).isEqualTo("ascending");
        assertThat(order(prefix + "-a", prefix + "-b")).isLessThan(0);
        browser.findElement(sortLink("username")).click();
        wait.until(ExpectedConditions.urlContains("sort=username,desc"));
        assertThat(browser.findElement(usernameHeader).getDomAttribute("aria-sort")).isEqualTo("descending");
        assertThat(order(prefix + "-a", prefix + "-b")).isGreaterThan(0);

        browser.get(url("/access/tokens?q=" + prefix));
        browser.findElement(sortLink("expiresAt")).click();
        wait.until(ExpectedConditions.urlContains("sort=expiresAt,asc"));
        assertThat(browser.getCurrentUrl()).contains("q=" + prefix);
        assertThat(order(prefix + "-x", prefix + "-y")).isLessThan(0);
        browser.findElement(sortLink("expiresAt")).click();
        wait.until(ExpectedConditions.urlContains("sort=expiresAt,desc"));
        assertThat(browser.findElement(By.xpath("//th[.//a[contains(@href, 'sort=expiresAt')]]")).getDomAttribute("aria-sort"))
                .isEqualTo("descending");
        assertThat(order(prefix + "-x", prefix + "-y")).isGreaterThan(0);
    }

    /** The link of the column header that sorts by this field. */
    private static By sortLink(String field) {
        return By.xpath("//th//a[contains(@href, 'sort=" + field + ",')]");
    }

    /** Where the first text stands in the page's main content against the second: negative when it comes first. */
    private int order(String one, String other) {
        String text = browser.findElement(By.tagName("main")).getText();
        assertThat(text).contains(one, other);
        return Integer.compare(text.indexOf(one), text.indexOf(other));
    }

    /**
     * A phone, 390 px wide: no console page scrolls sideways (tables scroll inside their own box) and the navigation
     * is folded into its Menu, which opens.
     */
    @Test
    void noConsolePageScrollsSidewaysOnAPhone() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("phone-with-a-long-username"), "USER", "a-long-password");
        String tokenId = createToken(admin, userId, unique("a-rather-long-token-name-on-a-phone"), Duration.ofDays(30));
        java.util.List<String> pages = new java.util.ArrayList<>(java.util.List.of("/", "/profile", "/profile/password",
                "/profile/tokens/new", "/admin/users", "/admin/users/" + userId, "/admin/users/" + userId
                        + "?tab=sessions", "/admin/users/" + userId + "/tokens/new", "/admin/users/" + userId
                        + "/disable", "/admin/settings", "/admin/webhooks", "/admin/mailbox", "/access/tokens",
                "/access/tokens?kind=TEMPORARY", "/access/tokens/" + tokenId + "/audit", "/access/tokens/" + tokenId
                        + "/revoke", "/access/tokens/" + tokenId + "/rotate", "/faults", "/faults?status=ACKNOWLEDGED",
                "/admin/users/" + java.util.UUID.randomUUID()));
        for (String[] list : new String[][] {{"/admin/webhooks", "webhooks-table"}, {"/admin/mailbox", "mailbox-table"}}) {
            browser.get(url(list[0]));
            browser.findElements(By.cssSelector("#" + list[1] + " tbody a")).stream().findFirst()
                    .ifPresent(a -> pages.add(java.net.URI.create(a.getDomProperty("href")).getRawPath()));
        }
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        try {
            Map<String, Object> tooWide = new java.util.LinkedHashMap<>();
            for (String page : pages) {
                browser.get(url(page));
                wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState;")));
                Object width = chrome.executeScript("return document.documentElement.scrollWidth;");
                if (((Number) width).longValue() > 390) {
                    tooWide.put(page, width);
                }
                WebElement menu = browser.findElement(By.cssSelector(".nav-menu"));
                assertThat(menu.getDomProperty("open")).as("the Menu of " + page + ", folded").isEqualTo("false");
            }
            assertThat(tooWide).as("pages wider than the phone, with their width").isEmpty();

            browser.get(url("/access/tokens"));
            screenshot("phone-user-tokens");
            WebElement link = browser.findElement(By.xpath("//nav[@aria-label='Main']//a[normalize-space()='Faults']"));
            assertThat(link.isDisplayed()).isFalse();
            browser.findElement(By.cssSelector(".nav-toggle")).click();
            wait.until(ExpectedConditions.visibilityOf(link));
            screenshot("phone-menu");
            link.click();
            wait.until(ExpectedConditions.urlContains("/faults"));

            logOut();
            assertThat(((Number) chrome.executeScript("return document.documentElement.scrollWidth;")).longValue())
                    .as("the login page").isLessThanOrEqualTo(390);
        } finally {
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    /** Confirms the Revoke dialog, with a reason when one is given. */
    @Test
    void anAdminPreviewsABulkRevokeConfirmsItsCountWithAReasonAndWatchesTheJobFinish() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("bulk-owner"), "USER", "a-long-password");
        String tag = unique("sweep");
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Api.Response created = api.post("/api/users/" + userId + "/tokens", admin,
                    Map.of("name", "swept-" + i, "tags", java.util.List.of(tag)));
            assertThat(created.status()).isEqualTo(201);
            ids.add(created.json().get("id").asText());
        }
        String kept = createToken(admin, userId, "kept", Duration.ofDays(30));

        browser.get(url("/access/tokens"));
        browser.findElement(By.id("bulk-tag")).sendKeys(tag);
        browser.findElement(By.id("bulk-preview")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("bulk-matched"))).getText())
                .startsWith("3 active tokens match this filter").contains("Nothing has been revoked yet");
        assertThat(browser.findElements(By.cssSelector("#bulk-sample tbody tr"))).hasSize(3);
        assertThat(browser.findElement(By.id("bulk-sample")).getText()).contains("swept-0", tag);
        assertThat(api.get("/api/tokens/" + ids.get(0), admin).json().get("status").asText()).isEqualTo("ACTIVE");
        screenshot("bulk-revoke-preview");

        browser.findElement(By.id("bulk-revoke-button")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("bulk-dialog")));
        assertThat(dialog.findElement(By.id("bulk-count")).getText()).isEqualTo("3 active tokens");
        assertThat(dialog.findElement(By.id("bulk-confirm")).getText()).isEqualTo("Revoke 3 tokens");
        // the reason is required: the browser keeps the dialog open without one
        dialog.findElement(By.id("bulk-confirm")).click();
        assertThat(dialog.isDisplayed()).isTrue();
        dialog.findElement(By.id("bulk-reason")).sendKeys("team sweep");
        screenshot("bulk-revoke-confirm");
        dialog.findElement(By.id("bulk-confirm")).click();

        wait.until(ExpectedConditions.urlContains("/access/jobs/"));
        wait.until(ExpectedConditions.textToBe(By.id("job-state"), "Done"));
        assertThat(browser.findElement(By.id("job-count")).getText()).isEqualTo("3 of 3 tokens revoked");
        assertThat(browser.findElement(By.id("job-reason")).getText()).isEqualTo("BULK: team sweep");
        for (String id : ids) {
            JsonNodeView view = new JsonNodeView(api.get("/api/tokens/" + id, admin).json());
            assertThat(view.text("status")).isEqualTo("REVOKED");
            assertThat(view.text("revokeReason")).isEqualTo("BULK: team sweep");
        }
        assertThat(api.get("/api/tokens/" + kept, admin).json().get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void anAdminEditsATokensDescriptionAndTagsOnItsPageAndTheTablesShowThem() {
        String admin = adminToken();
        String userId = api.createUser(admin, unique("labelled"), "USER", "a-long-password");
        String name = unique("labelled-token");
        String id = createToken(admin, userId, name, Duration.ofDays(30));

        browser.get(url("/access/tokens/" + id + "/audit"));
        WebElement description = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("labels-description")));
        description.sendKeys("Deploys the shop");
        browser.findElement(By.id("labels-tags")).sendKeys("CI, prod ci");
        browser.findElement(By.id("labels-save")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("labels-notice")));
        assertThat(browser.findElement(By.id("token-description")).getText()).isEqualTo("Deploys the shop");
        assertThat(browser.findElements(By.cssSelector("#token-tags .tag")).stream().map(WebElement::getText))
                .containsExactly("ci", "prod");
        assertThat(browser.findElement(By.id("timeline")).getText())
                .contains("Token described", "Description \u201cDeploys the shop\u201d, tags ci prod");
        JsonNodeView view = new JsonNodeView(api.get("/api/tokens/" + id, admin).json());
        assertThat(view.text("description")).isEqualTo("Deploys the shop");
        assertThat(view.json().get("tags").toString()).isEqualTo("[\"ci\",\"prod\"]");

        // a bad tag: the page says what is wrong and nothing changes
        browser.findElement(By.id("labels-tags")).clear();
        browser.findElement(By.id("labels-tags")).sendKeys("no/slashes");
        browser.findElement(By.id("labels-save")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("labels-error"))).getText())
                .startsWith("tags:");
        assertThat(api.get("/api/tokens/" + id, admin).json().get("tags").toString()).isEqualTo("[\"ci\",\"prod\"]");

        browser.get(url("/access/tokens?q=" + name));
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-" + id)));
        assertThat(row.getText()).contains("Deploys the shop", "ci", "prod");
    }

    @Test
    void anOwnerEditsTheirOwnTokensTagsFromTheProfile() {
        String admin = adminToken();
        String username = unique("tagger");
        String userId = api.createUser(admin, username, "USER", "a-long-password");
        String name = unique("own-token");
        String id = createToken(admin, userId, name, Duration.ofDays(30));
        logOut();
        try {
            login(username, "a-long-password");
            wait.until(ExpectedConditions.urlContains("/profile"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("token-" + id)))
                    .findElement(By.cssSelector("a.labels-link")).click();
            wait.until(ExpectedConditions.urlContains("/profile/tokens/" + id + "/labels"));
            browser.findElement(By.id("labels-tags")).sendKeys("Nightly build");
            browser.findElement(By.id("labels-save")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("labels-notice")));
            assertThat(browser.findElement(By.id("token-" + id)).getText()).contains("nightly", "build");
            assertThat(api.get("/api/tokens/" + id, admin).json().get("tags").toString())
                    .isEqualTo("[\"nightly\",\"build\"]");
        } finally {
            browser.get(url("/profile"));
            logOut();
            login("admin", ADMIN_PASSWORD);
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
        }
    }

    /** A token view's fields as text. */
    private record JsonNodeView(com.fasterxml.jackson.databind.JsonNode json) {
        String text(String field) {
            return json.get(field).asText();
        }
    }

    private void confirmRevoke(String reason) {
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("revoke-dialog")));
        if (reason != null) {
            browser.findElement(By.id("revoke-reason")).sendKeys(reason);
        }
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        // found afresh each time: revoking this very session leaves the page, and Chromium reports a node of a page
        // left behind as an error, not as a stale element
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("revoke-dialog")));
    }

    private long figure(String css) {
        return Long.parseLong(browser.findElement(By.cssSelector(css)).getText().strip());
    }

    private String createToken(String admin, String userId, String name, Duration expiresIn) {
        Api.Response created = api.post("/api/users/" + userId + "/tokens", admin,
                Map.of("name", name, "expiresAt", Instant.now().plus(expiresIn).toString()));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private void logOut() {
        browser.findElement(By.cssSelector(".user-menu summary")).click();
        browser.findElement(By.xpath("//button[normalize-space()='Log out']")).click();
        wait.until(ExpectedConditions.urlContains("/login"));
    }

    /** Other tests share the database: leave the notification defaults behind, through the console itself. */
    private void clearNotificationSettings() {
        browser.get(url("/admin/settings"));
        for (String key : new String[] {"Enable User Token Expiration Notifications",
                "User Token Expiration Notification Emails"}) {
            By delete = By.cssSelector("button[aria-label='Delete " + key + "']");
            if (!browser.findElements(delete).isEmpty()) {
                browser.findElement(delete).click();
                wait.until(ExpectedConditions.invisibilityOfElementLocated(delete));
            }
        }
    }

    private void addConfig(String key, String value) {
        WebElement details = browser.findElement(By.id("add-config"));
        if (details.getAttribute("open") == null) {
            browser.findElement(By.id("add-config-button")).click();
        }
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("config-key"))).selectByVisibleText(key);
        WebElement field = browser.findElement(By.id("config-value"));
        field.clear();
        field.sendKeys(value);
        WebElement form = browser.findElement(By.id("add-config-form"));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> replaced(form));
    }

    /**
     * Whether the page this element was on is gone: Selenium's {@code stalenessOf} expects a stale-element error,
     * but ChromeDriver, asked about an element while the next page is replacing it, may answer that the node "does
     * not belong to the document" instead.
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    private void setExpiry(String date) {
        ((JavascriptExecutor) browser).executeScript(
                "const f = document.getElementById('token-expiry'); f.value = arguments[0];"
                        + " f.dispatchEvent(new Event('change', {bubbles: true}));", date);
    }

    private void submitDialog() {
        browser.findElement(By.cssSelector("#create-token-form button[type=submit]")).click();
    }

    /** Waits until the page's EventSource is connected, so no change is published before it listens. */
    private void awaitLiveStream() {
        wait.until(d -> "open".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.live;")));
    }

    /** Logs in on the login page, where a page that asked for a login has sent the browser, or else on a fresh one. */
    private void login(String username, String password) {
        if (!browser.getCurrentUrl().contains("/login")) {
            browser.get(url("/login"));
        }
        browser.findElement(By.id("username")).clear();
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static void screenshot(String screen) {
        if (!Boolean.getBoolean("console.screenshots")) {
            return;
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(screen + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
