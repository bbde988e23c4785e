package io.tokenledger.api.token;

import java.util.Objects;
import java.util.regex.Pattern;

/** Lower-case hex SHA-256 of a token's plaintext: the only form of a secret that is ever stored. */
public record TokenHash(String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public TokenHash {
        Objects.requireNonNull(hex, "hex");
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest");
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
