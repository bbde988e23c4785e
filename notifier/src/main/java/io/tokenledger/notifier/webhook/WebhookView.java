package io.tokenledger.notifier.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook endpoint as admins and auditors see it: never its secret.
 *
 * @param failingSince        when its current run of failed attempts began; null while its last attempt succeeded
 * @param disabledReason      why it was disabled, when the server disabled it
 * @param previousSecretUntil until when the secret it had before its last rotation also signs; null if none does
 */
public record WebhookView(UUID id, String url, List<String> events, String description, WebhookStatus status,
                          Instant createdAt, UUID createdBy, Instant updatedAt, Instant failingSince,
                          String disabledReason, Instant previousSecretUntil) {
}
