package io.tokenledger.api.settings;

import io.tokenledger.api.CommandRejected;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The warning ladder: how many days before a token's expiry its warnings fire, largest first, each 1–365.
 * Written {@code 30;7;1}; a single number is a ladder of one.
 */
public record ExpiryWarningDays(List<Integer> days) {
    /** Fewest days a warning may be given. */
    public static final int MIN_DAYS = 1;
    /** Most days a warning may be given. */
    public static final int MAX_DAYS = 365;
    /** Most rungs a ladder may have. */
    public static final int MAX_RUNGS = 10;
    /** No warnings at all. */
    public static final ExpiryWarningDays NONE = new ExpiryWarningDays(List.of());
    /** A number of days as written in a setting: digits only, few enough to be an {@code int}. */
    static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

    public ExpiryWarningDays {
        days = List.copyOf(new TreeSet<>(days).descendingSet());
    }

    /** Parses {@code 30;7;1} (order and repeats do not matter), rejecting anything else with a clear message. */
    public static ExpiryWarningDays parse(String text) {
        if (text == null || text.isBlank()) {
            throw CommandRejected.invalid("value", "must be a number of days 1–365 or a ladder such as 30;7;1");
        }
        String trimmed = text.strip();
        // A trailing separator, as left by copying a list, is harmless.
        if (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<Integer> days = new ArrayList<>();
        for (String part : trimmed.split(";", -1)) {
            String number = part.strip();
            if (number.contains(",")) {
                throw CommandRejected.invalid("value", "the days are separated by semicolons, not commas: "
                        + "a ladder such as 30;7;1");
            }
            if (!NUMBER.matcher(number).matches()) {
                throw CommandRejected.invalid("value", "'" + abbreviate(number)
                        + "' is not a number of days; give a number 1–365 or a ladder such as 30;7;1");
            }
            int value = Integer.parseInt(number);
            if (value < MIN_DAYS || value > MAX_DAYS) {
                throw CommandRejected.invalid("value", value + " days is out of range; each must be 1–365");
            }
            days.add(value);
        }
        ExpiryWarningDays ladder = new ExpiryWarningDays(days);
        if (ladder.days().size() > MAX_RUNGS) {
            throw CommandRejected.invalid("value", "at most " + MAX_RUNGS + " warnings per token");
        }
        return ladder;
    }

    public boolean isEmpty() {
        return days.isEmpty();
    }

    /** Canonical text: {@code 30;7;1}. */
    @Override
    public String toString() {
        return days.stream().map(String::valueOf).collect(Collectors.joining(";"));
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
