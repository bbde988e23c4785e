package io.tokenledger.api.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The plaintext of a token: {@code tlp_} or {@code tlt_}, 32 random base62 characters and a 6-character
 * base62 CRC32 checksum of them. It is handed to its owner once and never stored, logged or put in an
 * event; {@link #toString()} therefore masks it.
 */
public final class TokenSecret {
    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final int RANDOM_LENGTH = 32;
    static final int CHECKSUM_LENGTH = 6;
    /** Length of a well-formed token: prefix, random part and checksum. */
    public static final int LENGTH = 4 + RANDOM_LENGTH + CHECKSUM_LENGTH;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;
    private final TokenKind kind;

    private TokenSecret(String value, TokenKind kind) {
        this.value = value;
        this.kind = kind;
    }

    /** A new secret of the given kind, with about 190 bits from {@link SecureRandom}. */
    public static TokenSecret generate(TokenKind kind) {
        char[] random = new char[RANDOM_LENGTH];
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            random[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        String body = new String(random);
        return new TokenSecret(kind.prefix() + body + checksum(body), kind);
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
        if (kind == null) {
            return Optional.empty();
        }
        for (int i = 4; i < LENGTH; i++) {
            if (ALPHABET.indexOf(text.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        String body = text.substring(4, 4 + RANDOM_LENGTH);
        String expected = checksum(body);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                text.substring(4 + RANDOM_LENGTH).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new TokenSecret(text, kind));
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long n = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (n % ALPHABET.length()));
            n /= ALPHABET.length();
        }
        return new String(out);
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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
            return new TokenHash(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** What lists show in place of the token: its prefix and last four characters, {@code tlp_…abcd}. */
    public String hint() {
        return kind.prefix() + "\u2026" + value.substring(LENGTH - 4);
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
