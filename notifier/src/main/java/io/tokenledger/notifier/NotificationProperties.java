package io.tokenledger.notifier;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code tokenledger.notifications}: how the outbox sender delivers expiry e-mails.
 *
 * @param from           sender of every e-mail, {@code Name <address>} or a bare address
 * @param pollInterval   pause between two looks for due e-mails
 * @param batchSize      most due e-mails taken in one look, each then claimed, sent and recorded in its own transaction
 * @param initialBackoff wait before the second attempt; it doubles with every further failure
 * @param maxBackoff     longest wait between two attempts
 * @param maxAttempts    rejections by the server (SMTP 5xx) after which an e-mail is given up as FAILED; an
 *                       unreachable server or a temporary refusal (4xx) is retried without limit and does not count
 */
@ConfigurationProperties("tokenledger.notifications")
public record NotificationProperties(
        @DefaultValue("Token Ledger <tokenledger@localhost>") String from,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("20") int batchSize,
        @DefaultValue("30s") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("10") int maxAttempts) {

    public NotificationProperties {
        require(!pollInterval.isNegative() && !pollInterval.isZero(), "poll-interval must be positive");
        require(batchSize > 0, "batch-size must be at least 1");
        require(!initialBackoff.isNegative() && !initialBackoff.isZero(), "initial-backoff must be positive");
        require(maxBackoff.compareTo(initialBackoff) >= 0, "max-backoff must not be shorter than initial-backoff");
        require(maxAttempts > 0, "max-attempts must be at least 1");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("tokenledger.notifications." + message);
        }
    }
}
