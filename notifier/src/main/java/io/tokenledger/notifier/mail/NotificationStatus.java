package io.tokenledger.notifier.mail;

/** Where an outbox e-mail stands: waiting (also between retries), delivered, or rejected for good. */
public enum NotificationStatus {
    PENDING, SENT, FAILED
}
