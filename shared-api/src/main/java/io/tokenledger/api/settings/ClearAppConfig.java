package io.tokenledger.api.settings;

import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Removes an App Config key: notifications off, or the default restored. */
public record ClearAppConfig(@TargetAggregateIdentifier String settingsId, SettingKey key, UserId clearedBy) {
    public ClearAppConfig(SettingKey key, UserId clearedBy) {
        this(SystemSettingsId.VALUE, key, clearedBy);
    }
}
