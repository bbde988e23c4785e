package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-address limit of the leaked-credentials report: so many a window, each address on its own. */
class PerClientLimitTest {

    @Test
    void anAddressGetsItsLimitPerWindowAndOthersAreNotTouched() {
        AtomicLong nanos = new AtomicLong();
        PerClientLimit limit = new PerClientLimit(60, Duration.ofMinutes(1), nanos::get);
        for (int i = 0; i < 60; i++) {
            assertThat(limit.allow("198.51.100.7")).isTrue();
        }
        assertThat(limit.allow("198.51.100.7")).isFalse();
        assertThat(limit.allow("198.51.100.8")).isTrue();
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(limit.allow("198.51.100.7")).as("still the same window").isFalse();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(limit.allow("198.51.100.7")).as("a new window").isTrue();
    }
}
