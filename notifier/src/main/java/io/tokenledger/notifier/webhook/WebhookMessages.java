package io.tokenledger.notifier.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Webhook messages as the Standard Webhooks specification has them: the JSON body {@code {type, timestamp, data}},
 * and the {@code webhook-signature} header, {@code v1,} + base64 of HMAC-SHA256 over {@code id.timestamp.body}
 * keyed with the base64-decoded secret, one such signature per signing secret, separated by spaces.
 */
@Component
class WebhookMessages {
    private final ObjectMapper json;

    WebhookMessages(ObjectMapper json) {
        this.json = json;
    }

    /** The body of a message of this type about this event. */
    String body(String type, Instant timestamp, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", timestamp.toString());
        body.put("data", data);
        return json.writeValueAsString(body);
    }

    /** The {@code webhook-signature} value: a {@code v1} signature with each key. */
    static String signature(String id, long timestamp, String body, List<byte[]> keys) {
        byte[] content = (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        List<String> signatures = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                signatures.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal(content)));
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
        }
        return String.join(" ", signatures);
    }
}
