package io.tokenledger.command.user;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.user.Usernames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Set;

/**
 * The one rule for a new password, at registration, a change by the user, an administrator's reset: NIST SP 800-63B
 * rev. 4 for a password used alone. Any Unicode is accepted and taken in its NFKC form (so a password typed on another
 * keyboard or device, with composed or decomposed accents, is the same password); its length is counted in
 * characters (code points) of that form: at least {@value #MIN_LENGTH}, at most {@value #MAX_LENGTH}. No composition
 * rules. Refused: a password on the shipped list of common and breached passwords ({@code common-passwords.txt}),
 * one that only repeats a listed one, and one that contains the username; compared in the
 * canonical form of usernames (NFKC and locale-independent case folding). Passwords set before this rule existed are
 * not checked again: they keep working until changed.
 */
public final class PasswordPolicy {
    /** Fewest characters of a new password. */
    public static final int MIN_LENGTH = 15;
    /** Most characters of a password: far above the 64 the rule requires to accept, and bounded for hashing. */
    public static final int MAX_LENGTH = 256;
    /** The refusal of a new password, whichever rule it broke: a 400 problem of this type naming the field. */
    public static final CommandRejected.Problem WEAK_PASSWORD =
            new CommandRejected.Problem("weak-password", "Password refused");

    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** The form in which a password is hashed and compared: Unicode NFKC. */
    public static String normalized(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    /**
     * Refuses a new password that breaks the rule.
     *
     * @param field    the input field named in the refusal ({@code password}, {@code newPassword})
     * @param username the user's username, which the password must not contain
     * @throws CommandRejected invalid, with the problem {@link #WEAK_PASSWORD}, naming the field and the rule broken
     */
    public static void require(String field, String password, String username) {
        String broken = brokenRule(password, username);
        if (broken != null) {
            throw CommandRejected.invalid(WEAK_PASSWORD, field, broken);
        }
    }

    /** What a new password breaks, as the message of its refusal, or null when it is acceptable. */
    public static String brokenRule(String password, String username) {
        if (password == null || password.isEmpty()) {
            return "must not be empty";
        }
        String normal = normalized(password);
        int length = normal.codePointCount(0, normal.length());
        if (length < MIN_LENGTH) {
            return "must be at least " + MIN_LENGTH + " characters long";
        }
        if (length > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters long";
        }
        String folded = Usernames.canonical(normal);
        if (isCommon(folded)) {
            return "is a commonly used or breached password";
        }
        if (username != null && !username.isBlank() && folded.contains(Usernames.canonical(username))) {
            return "must not contain the username";
        }
        return null;
    }

    /** A listed password, or a listed one repeated ({@code monkeymonkeymonkey}, {@code aaaaaaaaaaaaaaaa}). */
    private static boolean isCommon(String folded) {
        if (COMMON.contains(folded)) {
            return true;
        }
        int n = folded.length();
        for (int unit = 1; unit <= n / 2; unit++) {
            if (n % unit == 0 && COMMON.contains(folded.substring(0, unit))
                    && folded.equals(folded.substring(0, unit).repeat(n / unit))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> load() {
        Set<String> passwords = new HashSet<>(65_536);
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the class path");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    passwords.add(Usernames.canonical(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(passwords);
    }
}
