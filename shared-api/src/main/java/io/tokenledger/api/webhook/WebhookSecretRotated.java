package io.tokenledger.api.webhook;

import java.time.Instant;
import java.util.UUID;

/** An administrator rotated a webhook endpoint's signing secret; the previous one signs too until then. */
public record WebhookSecretRotated(UUID webhookId, Instant previousSecretUntil) {
}
