package io.tokenledger.api.settings;

import java.util.Map;

/**
 * What a change of an App Config key would do, answered by a dry run and changing nothing: the key, the value in
 * canonical form, and the impact (empty for a key whose change acts on no existing token).
 */
public record AppConfigPreview(String key, String value, Map<String, Object> impact) {
}
