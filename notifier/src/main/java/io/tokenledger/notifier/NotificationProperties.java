package io.tokenledger.notifier;

import static io.tokenledger.api.SettingCheck.atLeast;
import static io.tokenledger.api.SettingCheck.positive;
import static io.tokenledger.api.SettingCheck.require;

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
        positive("tokenledger.notifications.poll-interval", pollInterval);
        atLeast("tokenledger.notifications.batch-size", batchSize, 1);
        positive("tokenledger.notifications.initial-backoff", initialBackoff);
        positive("tokenledger.notifications.max-backoff", maxBackoff);
        require(maxBackoff.compareTo(initialBackoff) >= 0, "tokenledger.notifications.max-backoff must not be shorter "
                + "than tokenledger.notifications.initial-backoff, was " + maxBackoff + " < " + initialBackoff);
        atLeast("tokenledger.notifications.max-attempts", maxAttempts, 1);
    }
}
