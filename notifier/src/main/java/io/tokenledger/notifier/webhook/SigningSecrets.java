package io.tokenledger.notifier.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Webhook signing secrets: made here ({@code whsec_} + base64 of 32 random bytes, the Standard Webhooks form), shown
 * once to the admin, and kept only encrypted with AES-256-GCM under a key that is not in the database (the
 * {@code encryption-key} property, or a key file generated beside the embedded database), bound to their endpoint's
 * id. The server must sign with the secret, so a one-way hash as for tokens cannot do; a copy of the database alone
 * reveals no secret (docs/decisions.md, "Webhook signing secrets").
 */
@Component
public class SigningSecrets {
    /** The prefix of a signing secret. */
    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;
    private static final String KEY_FILE = "webhook-secrets.key";

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    @Autowired
    SigningSecrets(WebhookProperties properties, @Value("${tokenledger.data-dir:./data}") Path dataDir) {
        this(key(properties.encryptionKey(), dataDir));
    }

    SigningSecrets(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("tokenledger.webhooks.encryption-key must be base64 of 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A new secret's plaintext, {@code whsec_…}: to be shown once and {@link #seal sealed}. */
    public String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The secret encrypted for storage in the row of endpoint {@code endpointId}. */
    byte[] seal(UUID endpointId, String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(endpointId.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt a webhook secret", e);
        }
    }

    /** The HMAC key of a stored secret: the base64-decoded part after {@code whsec_}. */
    byte[] signingKey(UUID endpointId, byte[] sealed) {
        String secret = open(endpointId, sealed);
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    private String open(UUID endpointId, byte[] sealed) {
        if (sealed.length < 1 + NONCE_BYTES || sealed[0] != VERSION) {
            throw new IllegalStateException("webhook secret of " + endpointId + " is not in a known form");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(endpointId.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
            return new String(plain, StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("webhook secret of " + endpointId
                    + " cannot be decrypted with this instance's encryption key", e);
        }
    }

    /** The configured key, or the data directory's key file, made at the first start (owner-only). */
    private static byte[] key(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return Base64.getDecoder().decode(configured.strip());
        }
        Path file = dataDir.toAbsolutePath().normalize().resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(fresh);
                try {
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh), StandardCharsets.US_ASCII,
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // not a POSIX file system: its default permissions apply
                    }
                    return fresh;
                } catch (FileAlreadyExistsException e) {
                    // another instance on this data directory made it first: use theirs
                }
            }
            return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create " + file, e);
        }
    }
}
