package io.tokenledger.api.token;

import java.util.Objects;

/** Lower-case hex SHA-256 of a token's plaintext: the only form of a secret that is ever stored. */
public record TokenHash(String hex) {
    public TokenHash {
        Objects.requireNonNull(hex, "hex");
        if (!isDigest(hex)) {
            throw new IllegalArgumentException("not a SHA-256 hex digest");
        }
    }

    /**
     * Whether the text is 64 lower-case hex digits. A loop rather than a regular expression: every token event
     * holds a hash, and matching the expression was an eighth of decoding such an event (a rebuild decodes them
     * all).
     */
    private static boolean isDigest(String hex) {
        if (hex.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return hex;
    }
}
