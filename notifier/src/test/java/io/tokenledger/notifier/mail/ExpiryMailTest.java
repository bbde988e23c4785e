package io.tokenledger.notifier.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryMailTest {

    private static TokenExpiryApproaching warning(int daysBefore) {
        return new TokenExpiryApproaching(TokenId.random(), UserId.random(), "ci-deploy", "tlp_\u2026abcd",
                Instant.parse("2026-12-01T00:00:00Z"), daysBefore, Instant.parse("2026-11-24T00:00:00Z"));
    }

    @Test
    void theSubjectNamesTokenOwnerAndThreshold() {
        assertThat(ExpiryMail.of(warning(7), "alice", "https://console.example").subject())
                .isEqualTo("API token \"ci-deploy\" of alice expires in 7 days");
        assertThat(ExpiryMail.of(warning(1), "alice", "https://console.example").subject())
                .isEqualTo("API token \"ci-deploy\" of alice expires in 1 day");
    }

    @Test
    void theBodyNamesTheTokensScopes() {
        TokenExpiryApproaching scoped = new TokenExpiryApproaching(TokenId.random(), UserId.random(), "ci-deploy",
                "tlp_\u2026abcd", Instant.parse("2026-12-01T00:00:00Z"), 7, Instant.parse("2026-11-24T00:00:00Z"),
                java.util.List.of("read_api", "deploy"));
        assertThat(ExpiryMail.of(scoped, "alice", "https://console.example").body())
                .contains("Scopes:  read_api deploy");
        assertThat(ExpiryMail.of(warning(7), "alice", "https://console.example").body()).contains("Scopes:  api");
    }

    @Test
    void theBodyNamesTokenOwnerHintAndExpiryInUtcAndLinksOnlyToTheConsole() {
        String body = ExpiryMail.of(warning(30), "alice", "https://console.example").body();
        assertThat(body).contains("ci-deploy", "alice", "tlp_\u2026abcd", "2026-12-01 00:00 UTC", "7 days",
                "revoke the old token", "https://console.example");
        assertThat(body.replace("https://console.example", "")).doesNotContainIgnoringCase("http")
                .doesNotContain("www.");
    }

    @Test
    void aTokenWarnedInsideItsWindowIsGivenTheDaysItActuallyHasLeft() {
        TokenExpiryApproaching late = new TokenExpiryApproaching(TokenId.random(), UserId.random(), "ci-deploy",
                "tlp_\u2026abcd", Instant.parse("2026-12-01T00:00:00Z"), 7, Instant.parse("2026-11-28T19:00:00Z"));
        assertThat(ExpiryMail.of(late, "alice", "https://console.example").subject())
                .isEqualTo("API token \"ci-deploy\" of alice expires in 3 days");
        TokenExpiryApproaching lastHours = new TokenExpiryApproaching(TokenId.random(), UserId.random(), "ci-deploy",
                "tlp_\u2026abcd", Instant.parse("2026-12-01T00:00:00Z"), 1, Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(ExpiryMail.of(lastHours, "alice", "https://console.example").subject())
                .endsWith("expires in 1 hour");
    }

    /** A token expiring in 90 s was mailed as "expires in 1 day". */
    @Test
    void aTokenWithLessThanADayLeftIsGivenItsHoursAndMinutes() {
        Instant expires = Instant.parse("2026-12-01T00:00:00Z");
        for (Object[] left : new Object[][] {{90L, "2 minutes"}, {30L, "1 minute"}, {60L, "1 minute"},
                {5_400L, "1 hour 30 minutes"}, {7_200L, "2 hours"}, {86_399L, "24 hours"}, {86_400L, "1 day"}}) {
            TokenExpiryApproaching warning = new TokenExpiryApproaching(TokenId.random(), UserId.random(), "ci-deploy",
                    "tlp_\u2026abcd", expires, 7, expires.minusSeconds((Long) left[0]));
            ExpiryMail mail = ExpiryMail.of(warning, "alice", "https://console.example");
            assertThat(mail.subject()).as(left[0] + " s").endsWith("expires in " + left[1]);
            assertThat(mail.body()).contains("expires in " + left[1] + ".");
        }
    }
}
