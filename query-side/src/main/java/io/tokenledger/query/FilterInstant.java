package io.tokenledger.query;

import io.tokenledger.api.CommandRejected;
import java.time.Instant;

/**
 * An instant that filters a list ({@code from}, {@code to}, {@code expiresBefore}): refused as invalid input that
 * names the parameter outside the years 1 to 9999, where PostgreSQL's timestamps (and JDBC's) cannot follow.
 */
public final class FilterInstant {
    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private FilterInstant() {
    }

    /** The instant, if it is within the years 1 to 9999 (or null). */
    public static Instant checked(String field, Instant value) {
        if (value != null && (value.isBefore(MIN) || value.isAfter(MAX))) {
            throw CommandRejected.invalid(field, "must be between the years 1 and 9999");
        }
        return value;
    }
}
