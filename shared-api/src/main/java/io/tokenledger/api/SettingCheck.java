package io.tokenledger.api;

import java.time.Duration;

/**
 * The checks of the {@code tokenledger.*} settings, made as each settings record is bound at start: a bad value stops
 * the start with a message naming the property, what it must be and what it was.
 */
public final class SettingCheck {
    private SettingCheck() {
    }

    /** A duration longer than zero. */
    public static Duration positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration (such as 30s, 5m, 1h), was "
                    + value);
        }
        return value;
    }

    /** A whole number within [min, max]. */
    public static long between(String property, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + " must be " + (max == Long.MAX_VALUE ? "at least " + min
                    : "from " + min + " to " + max) + ", was " + value);
        }
        return value;
    }

    /** A whole number of at least min. */
    public static long atLeast(String property, long value, long min) {
        return between(property, value, min, Long.MAX_VALUE);
    }

    /** A condition on one or more settings, with the message that says what they must be. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
