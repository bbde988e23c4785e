package io.tokenledger.notifier.mail;

import java.time.Instant;
import java.util.UUID;

/** An outbox e-mail as the notifications list shows it; the body is not listed. */
public record NotificationView(UUID id, UUID tokenId, Integer daysBefore, String recipient, String subject,
                               NotificationStatus status, int attempts, Instant createdAt, Instant nextAttemptAt,
                               Instant sentAt, String lastError) {
}
