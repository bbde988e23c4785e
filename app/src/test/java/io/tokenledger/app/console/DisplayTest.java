package io.tokenledger.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the console writes counts and how long ago something was. */
class DisplayTest {
    private final Display display = new Display();
    private final Instant now = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void countsAreSingularForOne() {
        assertThat(display.count(1, "token", "tokens")).isEqualTo("1 token");
        assertThat(display.count(0, "token", "tokens")).isEqualTo("0 tokens");
        assertThat(display.count(2, "login session", "login sessions")).isEqualTo("2 login sessions");
    }

    @Test
    void relativeTimesSayHowLongAgoOrHowSoon() {
        assertThat(display.relative(now, now.minusSeconds(20))).isEqualTo("just now");
        assertThat(display.relative(now, now.minus(Duration.ofMinutes(3)))).isEqualTo("3 min ago");
        assertThat(display.relative(now, now.minus(Duration.ofMinutes(61)))).isEqualTo("1 hour ago");
        assertThat(display.relative(now, now.minus(Duration.ofHours(49)))).isEqualTo("2 days ago");
        assertThat(display.relative(now, now.plus(Duration.ofDays(1)).plusSeconds(5))).isEqualTo("in 1 day");
        assertThat(display.relative(now, now.plus(Duration.ofDays(90)))).isEqualTo("in 3 months");
        assertThat(display.relative(now, now.minus(Duration.ofDays(800)))).isEqualTo("2 years ago");
        assertThat(display.relative(null)).isEmpty();
    }
}
