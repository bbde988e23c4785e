package io.tokenledger.api.settings;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** An App Config key was removed. */
public record AppConfigCleared(SettingKey key, UserId clearedBy, Instant clearedAt) {
}
