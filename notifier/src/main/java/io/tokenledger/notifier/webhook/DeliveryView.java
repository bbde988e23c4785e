package io.tokenledger.notifier.webhook;

import java.time.Instant;
import java.util.UUID;

/** One entry of an endpoint's delivery log. */
public record DeliveryView(UUID id, UUID webhookId, String eventId, String type, DeliveryStatus status, int attempts,
                           Integer lastStatusCode, String lastError, Instant lastAttemptAt, Instant nextAttemptAt,
                           Instant createdAt, Instant sentAt) {
}
