package io.tokenledger.app;

import io.tokenledger.api.client.ClientSecret;
import io.tokenledger.api.token.TokenSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every token plaintext, client secret and webhook signing secret the suite was shown, in any JVM of the build:
 * written to one file as responses arrive, so that the secrets sweep after the whole suite can search every table and
 * log line for each of them.
 */
public final class IssuedSecrets {
    /**
     * A secret's shape: a token's {@code tlp_} or {@code tlt_}, a client secret's {@code tlc_}, then 32 random and 6
     * checksum base-62 characters.
     */
    public static final Pattern SHAPE = Pattern.compile("tl[ptc]_[0-9A-Za-z]{38}");
    /** A webhook signing secret's shape: {@code whsec_} and the base64 of 32 random bytes. */
    public static final Pattern WEBHOOK_SECRET = Pattern.compile("whsec_([A-Za-z0-9+/]{43}=)");
    public static final Path FILE = Path.of(System.getProperty("tokenledger.issued-secrets",
            "target/test-logs/issued-tokens.txt"));

    private IssuedSecrets() {
    }

    /** Records every well-formed token plaintext and webhook secret in this text (a response body, a Set-Cookie value). */
    public static void recordIn(String text) {
        if (text == null || text.indexOf('_') < 0) {
            return;
        }
        Set<String> found = new LinkedHashSet<>();
        Matcher m = SHAPE.matcher(text);
        while (m.find()) {
            if (isWellFormed(m.group())) {
                found.add(m.group());
            }
        }
        Matcher webhook = WEBHOOK_SECRET.matcher(text);
        while (webhook.find()) {
            found.add(webhook.group());
        }
        if (!found.isEmpty()) {
            write(found);
        }
    }

    /** Whether the text is a well-formed token or client secret, checksum included. */
    public static boolean isWellFormed(String text) {
        return TokenSecret.parse(text).isPresent() || ClientSecret.isWellFormed(text);
    }

    private static synchronized void write(Set<String> secrets) {
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            // One write per call, appended: lines from several JVMs do not interleave within a line.
            Files.writeString(FILE, String.join("\n", secrets) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every plaintext recorded so far by any JVM of the build. */
    public static Set<String> all() {
        try {
            if (!Files.exists(FILE)) {
                return Set.of();
            }
            List<String> lines = Files.readAllLines(FILE, StandardCharsets.US_ASCII);
            Set<String> all = new LinkedHashSet<>();
            lines.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(all::add);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
