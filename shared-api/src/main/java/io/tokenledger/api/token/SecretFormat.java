package io.tokenledger.api.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The one format of every secret Token Ledger hands out (tokens, client secrets): a four-character prefix naming
 * its kind, 32 random base62 characters from {@link SecureRandom} (about 190 bits) and a 6-character base62 CRC32
 * checksum of them, so a mistyped or made-up one is refused before any lookup and a leaked one is recognisable. Only
 * its SHA-256 is ever stored.
 */
public final class SecretFormat {
    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static final int PREFIX_LENGTH = 4;
    static final int RANDOM_LENGTH = 32;
    static final int CHECKSUM_LENGTH = 6;
    /** Length of a well-formed secret: prefix, random part and checksum. */
    public static final int LENGTH = PREFIX_LENGTH + RANDOM_LENGTH + CHECKSUM_LENGTH;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFormat() {
    }

    /** A new secret with this prefix. */
    public static String generate(String prefix) {
        char[] random = new char[RANDOM_LENGTH];
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            random[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        String body = new String(random);
        return prefix + body + checksum(body);
    }

    /** Whether the text is a well-formed secret with this prefix and a valid checksum. */
    public static boolean isWellFormed(String prefix, String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(prefix)) {
            return false;
        }
        for (int i = PREFIX_LENGTH; i < LENGTH; i++) {
            if (ALPHABET.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        String expected = checksum(text.substring(PREFIX_LENGTH, PREFIX_LENGTH + RANDOM_LENGTH));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                text.substring(PREFIX_LENGTH + RANDOM_LENGTH).getBytes(StandardCharsets.US_ASCII));
    }

    /** SHA-256 of a secret, in hex: the form under which it is stored and looked up. */
    public static String sha256(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** What lists show in place of a secret: its prefix and last four characters, {@code tlp_…abcd}. */
    public static String hint(String secret) {
        return secret.substring(0, PREFIX_LENGTH) + "\u2026" + secret.substring(LENGTH - 4);
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
}
