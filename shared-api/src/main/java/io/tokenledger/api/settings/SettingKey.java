package io.tokenledger.api.settings;

import io.tokenledger.api.CommandRejected;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The App Config keys, named by their portal labels; each knows how to check and normalise its value. */
public enum SettingKey {
    /** Days before expiry when warnings fire: one number 1–365, or a ladder such as {@code 30;7;1}. */
    EXPIRY_NOTIFICATION_DAYS("Enable User Token Expiration Notifications", "Enable User Token Notification",
            value -> ExpiryWarningDays.parse(value).toString()),
    /** Addresses that receive every expiry warning, separated by semicolons. */
    EXPIRY_NOTIFICATION_EMAILS("User Token Expiration Notification Emails", null,
            value -> NotificationEmails.parse(value).toString()),
    /** The longest lifetime a new permanent token may have, in days. */
    PERMANENT_TOKEN_MAX_LIFETIME_DAYS("Permanent Token Max Lifetime Days", null,
            value -> Integer.toString(MaxLifetimeDays.parse(value))),
    /** Whether a permanent token's use from an address it never used raises a fault: {@code true} or {@code false}. */
    ALERT_ON_NEW_ADDRESS("Alert On Token Use From New Address", null, SettingKey::bool),
    /**
     * The inactivity policy: permanent tokens unused for this many days (1–3650, the max lifetime's range) are
     * revoked by the daily run; unset, none are.
     */
    INACTIVITY_DAYS("Revoke Permanent Tokens Unused For Days", null,
            value -> Integer.toString(MaxLifetimeDays.parse(value)));

    private final String label;
    private final String formerLabel;
    private final UnaryOperator<String> normaliser;

    SettingKey(String label, String formerLabel, UnaryOperator<String> normaliser) {
        this.label = label;
        this.formerLabel = formerLabel;
        this.normaliser = normaliser;
    }

    /** {@code true} or {@code false}, in any case. */
    static String bool(String value) {
        String word = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (!word.equals("true") && !word.equals("false")) {
            throw CommandRejected.invalid("value", "must be true or false");
        }
        return word;
    }

    /** The key as the portal shows it and the API addresses it. */
    public String label() {
        return label;
    }

    /** The key for a label, also the portal's older label; case and surrounding blanks do not matter. */
    public static Optional<SettingKey> fromLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        String wanted = label.strip();
        return Arrays.stream(values())
                .filter(k -> k.label.equalsIgnoreCase(wanted) || wanted.equalsIgnoreCase(k.formerLabel))
                .findFirst();
    }

    /** The key for a label, or a rejection that lists the keys there are. */
    public static SettingKey require(String label) {
        return fromLabel(label).orElseThrow(() -> CommandRejected.invalid("key", "unknown App Config key '"
                + label + "'; the keys are: "
                + Arrays.stream(values()).map(SettingKey::label).collect(Collectors.joining(", "))));
    }

    /** The value in canonical form, or a rejection that says what is wrong with it. */
    public String normalise(String value) {
        if (value == null || value.isBlank()) {
            throw CommandRejected.invalid("value", "must not be empty");
        }
        return normaliser.apply(value);
    }
}
