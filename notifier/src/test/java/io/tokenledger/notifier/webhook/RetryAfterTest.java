package io.tokenledger.notifier.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An endpoint's Retry-After, in either of the forms RFC 9110 10.2.3 allows, as the wait before the next attempt. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void secondsAndHttpDatesAreHonouredUpToADay() {
        assertThat(WebhookSender.retryAfter("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(WebhookSender.retryAfter(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(WebhookSender.retryAfter("Thu, 03 Dec 2026 10:05:00 GMT", NOW)).contains(Duration.ofMinutes(5));
        assertThat(WebhookSender.retryAfter("Thu, 03 Dec 2026 09:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(WebhookSender.retryAfter("999999999", NOW)).contains(Duration.ofHours(24));
        assertThat(WebhookSender.retryAfter("99999999999999999999999", NOW)).contains(Duration.ofHours(24));
    }

    @Test
    void anAbsentOrUnreadableRetryAfterLeavesTheBackoff() {
        assertThat(WebhookSender.retryAfter(null, NOW)).isEmpty();
        assertThat(WebhookSender.retryAfter("", NOW)).isEmpty();
        assertThat(WebhookSender.retryAfter("soon", NOW)).isEmpty();
        assertThat(WebhookSender.retryAfter("-5", NOW)).isEmpty();
    }
}
