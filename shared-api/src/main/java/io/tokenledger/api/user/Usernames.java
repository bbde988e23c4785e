package io.tokenledger.api.user;

import java.text.Normalizer;

/**
 * The one canonical form of a username, by which registration claims it, a login looks its user up and failed logins
 * are counted: Unicode NFKC (compatibility forms such as the Kelvin sign or full-width letters become the letters
 * they stand for), then each code point case-folded without regard to any locale (mapped to upper case and back to
 * lower case, so that {@code ı}, {@code I}, {@code i} and {@code İ}'s base letter all meet), then NFKC again. Two
 * usernames with one canonical form are one username: the second is refused at registration, and a login by either
 * counts against the same throttle.
 */
public final class Usernames {
    private Usernames() {
    }

    public static String canonical(String username) {
        String compatible = Normalizer.normalize(username, Normalizer.Form.NFKC);
        StringBuilder folded = new StringBuilder(compatible.length());
        compatible.codePoints().forEach(c -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
        return Normalizer.normalize(folded, Normalizer.Form.NFKC);
    }
}
