package io.tokenledger.notifier.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code tokenledger.webhooks}: which endpoints may be registered and how deliveries are made.
 *
 * @param allowHttp               accept {@code http} URLs as well as {@code https} (tests, local use)
 * @param allowPrivateAddresses   accept endpoints on loopback, link-local and private addresses (tests, local use)
 * @param encryptionKey           base64 of the 32-byte AES key that encrypts the signing secrets at rest; empty: a
 *                                key generated at the first start in {@code <data-dir>/webhook-secrets.key}
 * @param pollInterval            pause between two looks for due deliveries
 * @param batchSize               most due deliveries claimed in one look
 * @param concurrency             deliveries made at the same time
 * @param connectTimeout          longest wait for a connection to an endpoint
 * @param requestTimeout          longest wait for an endpoint's answer
 * @param initialBackoff          wait before the second attempt; it doubles with every further failure
 * @param maxBackoff              longest wait between two attempts (a longer {@code Retry-After} is honoured)
 * @param disableAfter            an endpoint whose every attempt failed for this long is disabled, and a fault raised
 * @param previousSecretLifetime  how long a rotated-out secret keeps signing beside the new one
 */
@ConfigurationProperties("tokenledger.webhooks")
public record WebhookProperties(
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue("false") boolean allowPrivateAddresses,
        @DefaultValue("") String encryptionKey,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("100") int batchSize,
        @DefaultValue("8") int concurrency,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("10s") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("24h") Duration disableAfter,
        @DefaultValue("24h") Duration previousSecretLifetime) {

    public WebhookProperties {
        require(positive(pollInterval), "poll-interval must be positive");
        require(batchSize > 0, "batch-size must be at least 1");
        require(concurrency > 0, "concurrency must be at least 1");
        require(positive(connectTimeout), "connect-timeout must be positive");
        require(positive(requestTimeout), "request-timeout must be positive");
        require(positive(initialBackoff), "initial-backoff must be positive");
        require(maxBackoff.compareTo(initialBackoff) >= 0, "max-backoff must not be shorter than initial-backoff");
        require(positive(disableAfter), "disable-after must be positive");
        require(positive(previousSecretLifetime), "previous-secret-lifetime must be positive");
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("tokenledger.webhooks." + message);
        }
    }
}
