package io.tokenledger.api.settings;

/** Asks for every App Config entry that is set. */
public record FindAppConfig() {
}
