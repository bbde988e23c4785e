package io.tokenledger.notifier.mail;

import io.tokenledger.api.token.TokenLeakReported;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The e-mail a leak report sends: plain text naming token, owner, hint, scopes and where it was found, and saying it
 * has been revoked. Its only link is the configured console address.
 */
public record LeakMail(String subject, String body) {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The report's e-mail for a token of {@code owner}. */
    public static LeakMail of(TokenLeakReported leak, String owner, String consoleUrl) {
        String name = leak.name() == null ? "Login session" : leak.name();
        String subject = "API token \"" + name + "\" of " + owner + " was found leaked and has been revoked";
        String body = """
                The API token "%s" of %s was reported found in public (%s) and has been revoked.

                  Token:    %s
                  Owner:    %s
                  Hint:     %s
                  Scopes:   %s
                  Reported: %s

                Create a replacement token, switch its clients over to it, and find out where the old one was exposed.

                Token Ledger console: %s
                """.formatted(name, owner, leak.source() == null ? "source not given" : leak.source(), name, owner,
                leak.hint(), String.join(" ", leak.scopes()), UTC.format(leak.reportedAt()), consoleUrl);
        return new LeakMail(subject, body);
    }
}
