package io.tokenledger.notifier.webhook;

/** Whether an endpoint is sent its events. */
public enum WebhookStatus {
    ENABLED,
    DISABLED
}
