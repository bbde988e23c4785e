package io.tokenledger.api.settings;

/** The settings are one aggregate for the whole system; this is its id. */
public final class SystemSettingsId {
    /** The id of the single SystemSettings aggregate. */
    public static final String VALUE = "system-settings";

    private SystemSettingsId() {
    }
}
