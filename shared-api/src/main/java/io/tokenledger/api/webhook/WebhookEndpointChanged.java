package io.tokenledger.api.webhook;

import java.util.List;
import java.util.UUID;

/** An administrator changed a webhook endpoint; the fields are its settings after the change. */
public record WebhookEndpointChanged(UUID webhookId, String url, List<String> events, String description,
                                     boolean enabled) {
}
