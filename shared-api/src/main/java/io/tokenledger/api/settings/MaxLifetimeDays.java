package io.tokenledger.api.settings;

import io.tokenledger.api.CommandRejected;

/** The {@code Permanent Token Max Lifetime Days} policy: 1 to 3650 days, 365 unless set. */
public final class MaxLifetimeDays {
    /** The lifetime limit when the setting is not set, as the portal's tokens expire after one year. */
    public static final int DEFAULT = 365;
    /** The largest limit that may be set: ten years. */
    public static final int MAX = 3650;

    private MaxLifetimeDays() {
    }

    /** Parses a whole number of days, rejecting anything else with a clear message. */
    public static int parse(String text) {
        String number = text == null ? "" : text.strip();
        if (!ExpiryWarningDays.NUMBER.matcher(number).matches()) {
            throw CommandRejected.invalid("value", "must be a whole number of days 1–" + MAX);
        }
        int days = Integer.parseInt(number);
        if (days < 1 || days > MAX) {
            throw CommandRejected.invalid("value", days + " days is out of range; it must be 1–" + MAX);
        }
        return days;
    }
}
