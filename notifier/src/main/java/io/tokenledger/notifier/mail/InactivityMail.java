package io.tokenledger.notifier.mail;

import io.tokenledger.api.token.TokenInactivityApproaching;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The e-mail the inactivity policy sends before it revokes a token unused for too long: plain text naming token,
 * owner, hint, scopes, the last use and the revocation, and how to keep the token. Its only link is the configured
 * console address.
 */
public record InactivityMail(String subject, String body) {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The warning's e-mail for a token of {@code owner}. */
    public static InactivityMail of(TokenInactivityApproaching warning, String owner, String consoleUrl) {
        String subject = "API token \"" + warning.name() + "\" of " + owner + " is unused and will be revoked on "
                + UTC.format(warning.revokeAt());
        String body = """
                The API token "%s" of %s has not been used since %s. Tokens unused for that long are revoked, so it
                will be revoked as inactive on %s unless it is used before.

                  Token:        %s
                  Owner:        %s
                  Hint:         %s
                  Scopes:       %s
                  Unused since: %s
                  Revoked on:   %s

                If the token is still needed, use it before then; if not, nothing needs to be done.

                Token Ledger console: %s
                """.formatted(warning.name(), owner, UTC.format(warning.unusedSince()),
                UTC.format(warning.revokeAt()), warning.name(), owner, warning.hint(),
                String.join(" ", warning.scopes()), UTC.format(warning.unusedSince()),
                UTC.format(warning.revokeAt()), consoleUrl);
        return new InactivityMail(subject, body);
    }
}
