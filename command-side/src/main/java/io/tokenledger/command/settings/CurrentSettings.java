package io.tokenledger.command.settings;

import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.SettingKey;
import java.util.Optional;

/**
 * The App Config values in force, for command handlers and sagas that act on them. Written in the same
 * transaction as the SystemSettings event that changed them, so a reader never sees a value without its event.
 */
public interface CurrentSettings {

    /** The canonical value of a key, if set. */
    Optional<String> value(SettingKey key);

    /** The warning ladder in force and the policy version that set it (0 if never set). */
    WarningPolicy warningPolicy();

    /** Records a key's new value; {@code policyVersion} is the warning policy's version after the change. */
    void put(SettingKey key, String value, long policyVersion);

    /** Records that a key was cleared. */
    void remove(SettingKey key);

    /** A warning ladder and the version of the settings change that set it. */
    record WarningPolicy(ExpiryWarningDays days, long version) {
    }
}
