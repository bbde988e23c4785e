package io.tokenledger.api.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The plaintext of a token: {@code tlp_} or {@code tlt_}, 32 random base62 characters and a 6-character
 * base62 CRC32 checksum of them. It is handed to its owner once and never stored, logged or put in an
 * event; {@link #toString()} therefore masks it.
 */
public final class TokenSecret {
    /** Length of a well-formed token: prefix, random part and checksum. */
    public static final int LENGTH = SecretFormat.LENGTH;

    private final String value;
    private final TokenKind kind;

    private TokenSecret(String value, TokenKind kind) {
        this.value = value;
        this.kind = kind;
    }

    /** A new secret of the given kind, with about 190 bits from {@link java.security.SecureRandom}. */
    public static TokenSecret generate(TokenKind kind) {
        return new TokenSecret(SecretFormat.generate(kind.prefix()), kind);
    }

    /**
     * The secret if the text is a well-formed token with a valid checksum; empty otherwise. Needs no
     * lookup, so malformed or mistyped tokens are refused before touching any store.
     */
    public static Optional<TokenSecret> parse(String text) {
        if (text == null || text.length() != LENGTH) {
            return Optional.empty();
        }
        TokenKind kind = TokenKind.ofPrefix(text);
        if (kind == null || !SecretFormat.isWellFormed(kind.prefix(), text)) {
            return Optional.empty();
        }
        return Optional.of(new TokenSecret(text, kind));
    }

    public TokenKind kind() {
        return kind;
    }

    /** The plaintext: call only to hand it to its owner. */
    public String reveal() {
        return value;
    }

    /** SHA-256 of the plaintext, the form under which a token is stored and looked up. */
    public TokenHash hash() {
        return new TokenHash(SecretFormat.sha256(value));
    }

    /** What lists show in place of the token: its prefix and last four characters, {@code tlp_…abcd}. */
    public String hint() {
        return SecretFormat.hint(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenSecret other
                && MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                other.value.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return hint();
    }
}
