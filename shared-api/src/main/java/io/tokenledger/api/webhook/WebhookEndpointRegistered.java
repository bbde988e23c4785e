package io.tokenledger.api.webhook;

import java.util.List;
import java.util.UUID;

/** An administrator registered a webhook endpoint for these event types ({@code *}: all); never its secret. */
public record WebhookEndpointRegistered(UUID webhookId, String url, List<String> events, String description) {
}
