package io.tokenledger.api.settings;

import java.time.Instant;

/** One App Config entry as the Config tab lists it. */
public record AppConfigEntry(String key, String value, Instant updatedAt, String updatedBy,
                             String updatedByUsername) {
}
