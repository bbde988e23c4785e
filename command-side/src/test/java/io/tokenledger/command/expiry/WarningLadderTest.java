package io.tokenledger.command.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.command.expiry.ExpiryWarnings.Pending;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which warning a token waits for: the rule the aggregate plans with and the replan job replans every token with
 * when the ladder changes (each case here is one the replan job meets).
 */
class WarningLadderTest {
    private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
    private static final Instant EXPIRY = NOW.plus(Duration.ofDays(60));

    private static Instant before(int days) {
        return EXPIRY.minus(Duration.ofDays(days));
    }

    @Test
    void theFarthestThresholdAheadIsNext() {
        assertThat(WarningLadder.next(List.of(30, 7, 1), EXPIRY, null, NOW)).isEqualTo(new Pending(30, before(30)));
    }

    @Test
    void aLongerLadderSetLaterMovesTheWarningEarlier() {
        assertThat(WarningLadder.next(List.of(7), EXPIRY, null, NOW)).isEqualTo(new Pending(7, before(7)));
        assertThat(WarningLadder.next(List.of(45, 7), EXPIRY, null, NOW)).isEqualTo(new Pending(45, before(45)));
    }

    @Test
    void aShorterLadderSetLaterMovesTheWarningLater() {
        assertThat(WarningLadder.next(List.of(7), EXPIRY, null, NOW)).isEqualTo(new Pending(7, before(7)));
    }

    @Test
    void whenSeveralThresholdsHavePassedOnlyTheClosestFiresAtOnce() {
        Instant late = before(5);
        assertThat(WarningLadder.next(List.of(30, 7, 1), EXPIRY, null, late)).isEqualTo(new Pending(7, late));
    }

    @Test
    void aThresholdAtOrAboveOneAlreadyWarnedNeverFires() {
        Instant late = before(5);
        assertThat(WarningLadder.next(List.of(30, 7, 1), EXPIRY, 7, late)).isEqualTo(new Pending(1, before(1)));
        assertThat(WarningLadder.next(List.of(30, 7), EXPIRY, 7, late)).isNull();
        assertThat(WarningLadder.next(List.of(30, 7, 1), EXPIRY, 1, late)).isNull();
    }

    @Test
    void warningsOffOrAnExpiredTokenLeaveNothingPending() {
        assertThat(WarningLadder.next(List.of(), EXPIRY, null, NOW)).isNull();
        assertThat(WarningLadder.next(List.of(30, 7, 1), EXPIRY, null, EXPIRY)).isNull();
    }
}
