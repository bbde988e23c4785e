package io.tokenledger.api.settings;

import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sets an App Config key to a value; the value is checked and stored in canonical form. */
public record ChangeAppConfig(@TargetAggregateIdentifier String settingsId, SettingKey key, String value,
                              UserId changedBy) {
    public ChangeAppConfig(SettingKey key, String value, UserId changedBy) {
        this(SystemSettingsId.VALUE, key, value, changedBy);
    }
}
