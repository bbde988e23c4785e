package io.tokenledger.app.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's verification of a webhook, written from the text of the Standard Webhooks specification
 * (standardwebhooks.com, "Verifying webhook authenticity") and nothing of the application's code:
 *
 * <ul>
 *   <li>"The content to sign is composed by concatenating the id, timestamp and payload, separated by the full-stop
 *       character (.)": {@code msg_id.timestamp.payload};</li>
 *   <li>"the signature is ... HMAC-SHA256 ... with the secret": the secret is the base64 part after the
 *       {@code whsec_} prefix, decoded to bytes, and the signature is base64-encoded;</li>
 *   <li>"The signature header is composed of a list of space delimited signatures and their corresponding version
 *       identifiers": {@code v1,<sig> v1,<sig>}; a message is authentic if any {@code v1} signature matches,
 *       compared in constant time;</li>
 *   <li>the {@code webhook-timestamp} is integer Unix seconds, and a receiver rejects one outside its tolerance (five
 *       minutes here) against replay attacks.</li>
 * </ul>
 */
public final class StandardWebhooksVerifier {
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;

    public StandardWebhooksVerifier(String secret) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("not a Standard Webhooks secret");
        }
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    /** Whether the message is authentic for this secret; throws with the reason if it is not. */
    public void verify(String id, String timestamp, String signatureHeader, String body, Instant receivedAt) {
        if (id == null || timestamp == null || signatureHeader == null) {
            throw new AssertionError("missing webhook-id, webhook-timestamp or webhook-signature");
        }
        long seconds = Long.parseLong(timestamp);
        if (Duration.between(Instant.ofEpochSecond(seconds), receivedAt).abs().compareTo(TOLERANCE) > 0) {
            throw new AssertionError("timestamp " + timestamp + " outside the tolerance at " + receivedAt);
        }
        byte[] expected = hmac((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        for (String versioned : signatureHeader.split(" ")) {
            int comma = versioned.indexOf(',');
            if (comma < 0 || !versioned.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given = Base64.getDecoder().decode(versioned.substring(comma + 1));
            if (MessageDigest.isEqual(expected, given)) {
                return;
            }
        }
        throw new AssertionError("no v1 signature in '" + signatureHeader + "' matches");
    }

    /** The v1 signatures in the header. */
    static List<String> signatures(String header) {
        return List.of(header.split(" "));
    }

    private byte[] hmac(byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
