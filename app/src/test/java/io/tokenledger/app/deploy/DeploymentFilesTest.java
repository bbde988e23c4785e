package io.tokenledger.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The container image and the compose file, read as files and checked against the application's own configuration:
 * every variable they set is a property the application (or Spring Boot) describes, the image runs as no root and
 * checks its health, and the compose file keeps its promises (healthchecks, no administrator password in clear,
 * only the gateway trusted to name the client). CI also runs {@code docker-compose config} on it.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of("..");
    private static final Set<String> ROLES = Set.of("command", "query", "notifier");
    /** Variables that are not the application's properties: the JVM's. */
    private static final Set<String> NOT_PROPERTIES = Set.of("JAVA_TOOL_OPTIONS");

    /** Every property name described by the metadata on the classpath (the application's and Spring Boot's). */
    static Set<String> describedProperties() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                "META-INF/additional-spring-configuration-metadata.json")) {
            for (URL url : Collections.list(DeploymentFilesTest.class.getClassLoader().getResources(resource))) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode property : new ObjectMapper().readTree(in).path("properties")) {
                        names.add(property.path("name").asText());
                    }
                }
            }
        }
        return names;
    }

    /** The environment variables Spring Boot binds to a property: dashes dropped, or (legacy) underscored. */
    static Set<String> environmentNames(Set<String> properties) {
        Set<String> names = new TreeSet<>();
        for (String property : properties) {
            String upper = property.toUpperCase(Locale.ROOT).replace('.', '_');
            names.add(upper.replace("-", ""));
            names.add(upper.replace('-', '_'));
        }
        return names;
    }

    /** Asserts that every variable is one the application reads. */
    static void assertAllBound(Map<String, ?> environment, String where) throws IOException {
        Set<String> known = environmentNames(describedProperties());
        assertThat(environment.keySet()).as(where).isNotEmpty()
                .allSatisfy(name -> assertThat(NOT_PROPERTIES.contains(name) || known.contains(name))
                        .as(where + ": " + name + " is no property of the application").isTrue());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @Test
    void theImageRunsAsNoRootFromLayersWithAHealthCheckAndTheProdProfile() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^USER 10001:10001$")
                .contains("extract --layers --launcher")
                .contains("COPY --from=layers /build/extracted/dependencies/")
                .contains("COPY --from=layers /build/extracted/application/")
                .containsPattern("(?m)^HEALTHCHECK .*")
                .contains("/actuator/health/readiness")
                .contains("-XX:MaxRAMPercentage=")
                .contains("SPRING_PROFILES_ACTIVE=prod")
                .contains("org.springframework.boot.loader.launch.JarLauncher");
        assertThat(dockerfile.lines().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b)).hasValue("USER 10001:10001");
        assertThat(Files.readString(ROOT.resolve(".dockerignore")).lines().filter(l -> !l.startsWith("#")).toList())
                .containsExactly("*", "!app/target/tokenledger.jar");
    }

    @Test
    void theComposeFilesAppInstancesAreHealthCheckedProdAndSetOnlyRealProperties() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        assertThat(services.keySet()).containsAll(ROLES);
        for (String role : ROLES) {
            Map<String, Object> service = map(services.get(role));
            Map<String, Object> env = map(service.get("environment"));
            assertAllBound(env, role);
            assertThat(env.get("TOKENLEDGER_ROLES")).isEqualTo(role);
            assertThat(env.get("SPRING_PROFILES_ACTIVE")).isEqualTo("prod");
            assertThat(String.valueOf(env.get("SPRING_DATASOURCE_PASSWORD"))).startsWith("${");
            // no administrator password in clear: generated and printed once, or given from outside the file
            Object admin = env.get("TOKENLEDGER_BOOTSTRAP_ADMIN_PASSWORD");
            assertThat(admin == null || String.valueOf(admin).startsWith("${")).as("admin password").isTrue();
            assertThat(map(service.get("healthcheck")).get("test").toString()).contains("/actuator/health/readiness");
            assertThat(service.get("stop_grace_period").toString()).isEqualTo("40s");
        }
        for (String other : List.of("postgres", "mailpit", "gateway")) {
            assertThat(map(services.get(other))).as(other).containsKey("healthcheck");
        }
        assertThat(String.valueOf(map(map(services.get("postgres")).get("environment")).get("POSTGRES_PASSWORD")))
                .startsWith("${");
        Map<String, Object> gatewayDependencies = map(map(services.get("gateway")).get("depends_on"));
        assertThat(gatewayDependencies.keySet()).containsAll(ROLES);
        gatewayDependencies.values().forEach(d -> assertThat(map(d).get("condition")).isEqualTo("service_healthy"));
    }

    @Test
    void onlyTheGatewayIsTrustedToNameTheClient() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        String gateway = String.valueOf(map(map(map(services.get("gateway")).get("networks")).get("backend"))
                .get("ipv4_address"));
        for (String role : ROLES) {
            Pattern trusted = Pattern.compile(String.valueOf(
                    map(map(services.get(role)).get("environment")).get("SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES")));
            assertThat(trusted.matcher(gateway).matches()).as(role + " trusts the gateway").isTrue();
            for (String other : List.of("172.30.0.11", "172.30.0.1", "172.30.0.100", "10.0.0.10", "127.0.0.1")) {
                assertThat(trusted.matcher(other).matches()).as(role + " trusts " + other).isFalse();
            }
        }
        assertThat(Files.readString(ROOT.resolve("Caddyfile"))).contains("reverse_proxy");
    }
}
