package io.tokenledger.api.webhook;

import java.util.UUID;

/** An administrator deleted a webhook endpoint, with its delivery log. */
public record WebhookEndpointDeleted(UUID webhookId, String url) {
}
