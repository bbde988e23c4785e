package io.tokenledger.notifier.mail;

import io.tokenledger.api.token.TokenExpiryApproaching;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The e-mail an expiry warning sends: plain text naming token, owner, hint, scopes and expiry. Its only link is the
 * console's address, so a reader learns to open the console themselves rather than follow mailed links.
 */
public record ExpiryMail(String subject, String body) {
    private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The warning's e-mail for a token of {@code owner}. */
    public static ExpiryMail of(TokenExpiryApproaching warning, String owner, String consoleUrl) {
        String days = timeLeft(warning);
        String subject = "API token \"" + warning.name() + "\" of " + owner + " expires in " + days;
        String body = """
                The API token "%s" of %s expires in %s.

                  Token:   %s
                  Owner:   %s
                  Hint:    %s
                  Scopes:  %s
                  Expires: %s

                Create a replacement token, switch its clients over to it, and then revoke the old token.

                Token Ledger console: %s
                """.formatted(warning.name(), owner, days, warning.name(), owner, warning.hint(),
                String.join(" ", warning.scopes()), UTC.format(warning.expiresAt()), consoleUrl);
        return new ExpiryMail(subject, body);
    }

    /**
     * The time from the warning to the expiry as the e-mail says it: whole days (see {@link #daysLeft}) from a day
     * on; below a day, hours and minutes, the minutes rounded up ("2 minutes" for 90 s, "1 hour 30 minutes").
     */
    static String timeLeft(TokenExpiryApproaching warning) {
        long seconds = Duration.between(warning.warnedAt(), warning.expiresAt()).toSeconds();
        if (seconds >= DAY_SECONDS) {
            return plural(daysLeft(warning), "day");
        }
        long minutes = Math.max(1, (seconds + 59) / 60);
        long hours = minutes / 60;
        minutes %= 60;
        if (hours == 0) {
            return plural(minutes, "minute");
        }
        return minutes == 0 ? plural(hours, "hour") : plural(hours, "hour") + " " + plural(minutes, "minute");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
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
