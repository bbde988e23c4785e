package io.tokenledger.api.settings;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** An App Config key was set; {@code value} is canonical (ladders sorted, addresses de-duplicated). */
public record AppConfigChanged(SettingKey key, String value, UserId changedBy, Instant changedAt) {
}
