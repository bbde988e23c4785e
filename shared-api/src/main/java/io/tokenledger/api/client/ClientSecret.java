package io.tokenledger.api.client;

import io.tokenledger.api.token.SecretFormat;
import io.tokenledger.api.token.TokenHash;
import java.security.SecureRandom;

/**
 * A client's secret: {@code tlc_} and the format of every secret Token Ledger hands out ({@link SecretFormat}). It is
 * shown once, at registration or rotation, and only its SHA-256 is stored; {@link #toString()} masks it.
 */
public final class ClientSecret {
    /** The prefix of client secrets. */
    public static final String PREFIX = "tlc_";
    private static final String ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int ID_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    private ClientSecret(String value) {
        this.value = value;
    }

    /** A new secret. */
    public static ClientSecret generate() {
        return new ClientSecret(SecretFormat.generate(PREFIX));
    }

    /** Whether the text is a well-formed client secret (checksum included); needs no lookup. */
    public static boolean isWellFormed(String text) {
        return SecretFormat.isWellFormed(PREFIX, text);
    }

    /** A new public client identifier: 20 lower-case letters and digits, not a secret. */
    public static String newClientId() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < ID_LENGTH; i++) {
            id[i] = ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length()));
        }
        return new String(id);
    }

    /** The SHA-256 of a presented secret, to compare with the stored one. */
    public static TokenHash hashOf(String presented) {
        return new TokenHash(SecretFormat.sha256(presented));
    }

    /** The plaintext: call only to hand it to the admin who registered or rotated the client. */
    public String reveal() {
        return value;
    }

    public TokenHash hash() {
        return hashOf(value);
    }

    public String hint() {
        return SecretFormat.hint(value);
    }

    @Override
    public String toString() {
        return hint();
    }
}
