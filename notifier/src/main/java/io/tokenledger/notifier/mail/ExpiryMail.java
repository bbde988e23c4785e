package io.tokenledger.notifier.mail;

import io.tokenledger.api.token.TokenExpiryApproaching;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The e-mail an expiry warning sends: plain text naming token, owner, hint and expiry. Its only link is the
 * console's address, so a reader learns to open the console themselves rather than follow mailed links.
 */
public record ExpiryMail(String subject, String body) {
    private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The warning's e-mail for a token of {@code owner}. */
    public static ExpiryMail of(TokenExpiryApproaching warning, String owner, String consoleUrl) {
        int left = daysLeft(warning);
        String days = left == 1 ? "1 day" : left + " days";
        String subject = "API token \"" + warning.name() + "\" of " + owner + " expires in " + days;
        String body = """
                The API token "%s" of %s expires in %s.

                  Token:   %s
                  Owner:   %s
                  Hint:    %s
                  Expires: %s

                Create a replacement token, switch its clients over to it, and then revoke the old token.

                Token Ledger console: %s
                """.formatted(warning.name(), owner, days, warning.name(), owner, warning.hint(),
                UTC.format(warning.expiresAt()), consoleUrl);
        return new ExpiryMail(subject, body);
    }

    /**
     * Whole days from the warning to the expiry, rounded up, and never more than the threshold: a token created
     * two days before its expiry under a 7-day threshold "expires in 3 days", not in 7.
     */
    static int daysLeft(TokenExpiryApproaching warning) {
        long seconds = Duration.between(warning.warnedAt(), warning.expiresAt()).toSeconds();
        long days = Math.max(1, (seconds + DAY_SECONDS - 1) / DAY_SECONDS);
        return (int) Math.min(days, warning.daysBefore());
    }
}
