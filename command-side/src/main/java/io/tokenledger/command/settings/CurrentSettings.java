package io.tokenledger.command.settings;

import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.SettingKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The App Config values in force, for the command handlers that act on them. Written in the same
 * transaction as the SystemSettings event that changed them, so a reader never sees a value without its event.
 */
public interface CurrentSettings {

    /** The canonical value of a key, if set. */
    Optional<String> value(SettingKey key);

    /** The warning ladder in force and the policy version that set it (0 if never set). */
    WarningPolicy warningPolicy();

    /** What a new permanent token is checked and planned against: the max lifetime and the warning ladder. */
    TokenPolicy tokenPolicy();

    /** Records a key's new value; {@code policyVersion} is the warning policy's version after the change. */
    void put(SettingKey key, String value, long policyVersion);

    /** Records that a key was cleared. */
    void remove(SettingKey key);

    /** A warning ladder and the version of the settings change that set it. */
    record WarningPolicy(ExpiryWarningDays days, long version) {
    }

    /**
     * The App Config a new permanent token answers to.
     *
     * @param maxLifetime the {@code Permanent Token Max Lifetime Days} in force, else the configured default
     * @param warnings    the warning ladder in force
     */
    record TokenPolicy(Duration maxLifetime, WarningPolicy warnings) {
        /** The lifetime of a token created without an expiry: a year, or less if the max lifetime is shorter. */
        public static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);

        /** The expiry of a token created at {@code now} without one. */
        public Instant defaultExpiry(Instant now) {
            Duration lifetime = maxLifetime.compareTo(DEFAULT_LIFETIME) < 0 ? maxLifetime : DEFAULT_LIFETIME;
            return now.plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
        }
    }
}
