package io.tokenledger.api.settings;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.EmailAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The addresses every expiry warning goes to, written separated by semicolons; each checked, repeats dropped. */
public record NotificationEmails(List<String> addresses) {
    /** Most addresses the setting may hold. */
    public static final int MAX_ADDRESSES = 50;
    /** Nobody beyond the token's owner. */
    public static final NotificationEmails NONE = new NotificationEmails(List.of());

    public NotificationEmails {
        addresses = List.copyOf(addresses);
    }

    /** Parses {@code a@example.com; b@example.com}, rejecting any invalid address by name. */
    public static NotificationEmails parse(String text) {
        if (text == null || text.isBlank()) {
            throw CommandRejected.invalid("value", "must be one or more e-mail addresses separated by semicolons");
        }
        Map<String, String> unique = new LinkedHashMap<>();
        List<String> invalid = new ArrayList<>();
        for (String part : text.split(";")) {
            String address = part.strip();
            if (address.isEmpty()) {
                continue;
            }
            if (!EmailAddress.isValid(address)) {
                invalid.add(ExpiryWarningDays.abbreviate(address));
            } else {
                unique.putIfAbsent(address.toLowerCase(Locale.ROOT), address);
            }
        }
        if (!invalid.isEmpty() && text.contains(",")) {
            // "a@example.com, b@example.com" is the usual slip: say what the separator is.
            throw CommandRejected.invalid("value", "addresses are separated by semicolons, not commas: "
                    + "a@example.com;b@example.com");
        }
        if (!invalid.isEmpty()) {
            throw CommandRejected.invalid("value", "not a valid e-mail address: " + String.join(", ", invalid));
        }
        if (unique.isEmpty()) {
            throw CommandRejected.invalid("value", "must be one or more e-mail addresses separated by semicolons");
        }
        if (unique.size() > MAX_ADDRESSES) {
            throw CommandRejected.invalid("value", "at most " + MAX_ADDRESSES + " addresses");
        }
        return new NotificationEmails(new ArrayList<>(unique.values()));
    }

    /** Canonical text: addresses joined by {@code ;}. */
    @Override
    public String toString() {
        return String.join(";", addresses);
    }
}
