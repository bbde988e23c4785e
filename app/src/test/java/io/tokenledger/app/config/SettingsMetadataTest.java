package io.tokenledger.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every {@code tokenledger.*} key is a settings record's (so the configuration processor's metadata describes it to
 * IDEs and its value is checked at start), is set only by that name in the application's YAML, and is in the
 * README's configuration table; every App Config key is in the README's App Config table.
 */
class SettingsMetadataTest {

    /** Every tokenledger.* property the metadata of the modules describes. */
    static Set<String> describedProperties() throws IOException {
        Set<String> names = new TreeSet<>();
        for (URL url : Collections.list(SettingsMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
                    String name = property.path("name").asText();
                    if (name.startsWith("tokenledger.")) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    @Test
    void everyKeyOfTheApplicationsYamlIsDescribed() throws IOException {
        Set<String> described = describedProperties();
        assertThat(described).contains("tokenledger.stream.max-per-user", "tokenledger.console-url",
                "tokenledger.tokens.max-lifetime", "tokenledger.notifications.from", "tokenledger.roles");
        for (String yaml : new String[] {"application.yml", "application-test.yml", "application-prod.yml"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(yaml)) {
                Map<String, Object> root = new Yaml().load(in);
                Set<String> keys = new TreeSet<>();
                flatten("", root, keys);
                assertThat(keys.stream().filter(k -> k.startsWith("tokenledger.")))
                        .as(yaml).isNotEmpty().allSatisfy(k -> assertThat(described).contains(k));
            }
        }
    }

    @Test
    void everyDescribedKeyIsInTheReadmesTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## Deployment"));
        assertThat(describedProperties()).allSatisfy(name -> assertThat(table).contains(readmeName(name)));
    }

    @Test
    void everyAppConfigKeyIsInTheReadmesAppConfigTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("**App Config keys**");
        assertThat(start).as("the README's App Config table").isPositive();
        String table = readme.substring(start, readme.indexOf("## Deployment", start));
        assertThat(io.tokenledger.api.settings.SettingKey.values())
                .allSatisfy(key -> assertThat(table).contains("| `" + key.label() + "` |"));
    }

    /** How the README writes a key: in full, but for the throttle's delays, written as a pair. */
    private static String readmeName(String name) {
        return name.equals("tokenledger.login.max-delay") ? "`max-delay`" : "`" + name + "`";
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Set<String> keys) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, keys));
        } else {
            keys.add(prefix);
        }
    }
}
