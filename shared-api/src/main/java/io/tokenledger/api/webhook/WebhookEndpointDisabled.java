package io.tokenledger.api.webhook;

import java.time.Instant;
import java.util.UUID;

/** A webhook endpoint was disabled because every delivery attempt failed since {@code failingSince}. */
public record WebhookEndpointDisabled(UUID webhookId, String url, Instant failingSince) {
}
