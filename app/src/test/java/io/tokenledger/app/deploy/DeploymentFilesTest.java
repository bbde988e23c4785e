package io.tokenledger.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
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

    /** Every object of the Kubernetes manifests, by kind and name. */
    private static Map<String, Map<String, Object>> kubernetes() throws IOException {
        Map<String, Map<String, Object>> objects = new java.util.TreeMap<>();
        try (var files = Files.list(ROOT.resolve("deploy/kubernetes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    if (document != null) {
                        Map<String, Object> object = map(document);
                        String name = object.get("kind") + "/"
                                + (object.containsKey("metadata") ? map(object.get("metadata")).get("name") : file);
                        assertThat(objects.put(name, object)).as("one " + name).isNull();
                    }
                }
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        return (List<Map<String, Object>>) node;
    }

    /** application.yml, flattened to dotted keys. */
    private static Map<String, Object> applicationYaml() throws IOException {
        Map<String, Object> flat = new java.util.TreeMap<>();
        try (InputStream in = DeploymentFilesTest.class.getClassLoader().getResourceAsStream("application.yml")) {
            flatten("", new Yaml().load(in), flat);
        }
        return flat;
    }

    private static void flatten(String prefix, Object node, Map<String, Object> flat) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, flat));
        } else {
            flat.put(prefix, node);
        }
    }

    @Test
    void theKubernetesDeploymentsUseTheApplicationsProbesPortsAndProperties() throws IOException {
        Map<String, Map<String, Object>> objects = kubernetes();
        Map<String, Object> app = applicationYaml();
        // the probes' groups are the application's own, and liveness leaves the database out
        assertThat(app.get("management.endpoint.health.probes.enabled")).isEqualTo(true);
        assertThat(String.valueOf(app.get("management.endpoint.health.group.liveness.include")))
                .isEqualTo("livenessState");
        assertThat(String.valueOf(app.get("management.endpoint.health.group.readiness.include"))).contains("db");
        Map<String, Object> config = map(objects.get("ConfigMap/tokenledger").get("data"));
        assertAllBound(config, "ConfigMap tokenledger");
        assertThat(config.get("SPRING_PROFILES_ACTIVE")).isEqualTo("prod");
        int metricsPort = Integer.parseInt(String.valueOf(config.get("TOKENLEDGER_METRICS_PORT")));
        int httpPort = (Integer) app.get("server.port");
        Duration drain = DurationStyle.detectAndParse(String.valueOf(app.get("spring.lifecycle.timeout-per-shutdown-phase")));
        Duration deadlines = DurationStyle.detectAndParse(String.valueOf(app.get("db-scheduler.shutdown-max-wait")));

        for (String role : ROLES) {
            Map<String, Object> deployment = objects.get("Deployment/" + role);
            assertThat(deployment).as(role).isNotNull();
            Map<String, Object> spec = map(deployment.get("spec"));
            Map<String, Object> podLabels = map(map(map(spec.get("template")).get("metadata")).get("labels"));
            assertThat(podLabels).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));
            Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
            assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue())
                    .isGreaterThan(drain.plus(deadlines).toSeconds());
            assertThat(map(pod.get("securityContext"))).containsEntry("runAsNonRoot", true)
                    .containsEntry("runAsUser", 10001);
            Map<String, Object> container = list(pod.get("containers")).get(0);

            Map<String, Integer> ports = new java.util.HashMap<>();
            list(container.get("ports")).forEach(p -> ports.put((String) p.get("name"), (Integer) p.get("containerPort")));
            assertThat(ports).containsEntry("http", httpPort).containsEntry("metrics", metricsPort);

            assertThat(map(map(container.get("livenessProbe")).get("httpGet")))
                    .containsEntry("path", "/actuator/health/liveness").containsEntry("port", "http");
            assertThat(map(map(container.get("startupProbe")).get("httpGet")))
                    .containsEntry("path", "/actuator/health/liveness").containsEntry("port", "http");
            assertThat(map(map(container.get("readinessProbe")).get("httpGet")))
                    .containsEntry("path", "/actuator/health/readiness").containsEntry("port", "http");

            Map<String, Object> resources = map(container.get("resources"));
            assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
            assertThat(map(resources.get("limits"))).containsKeys("cpu", "memory");
            assertThat(map(container.get("securityContext"))).containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false);

            Map<String, Object> env = new java.util.TreeMap<>();
            for (Map<String, Object> variable : list(container.get("env"))) {
                env.put((String) variable.get("name"), variable);
                if (((String) variable.get("name")).matches(".*(PASSWORD|USERNAME)$")) {
                    // secrets come from the Secret, never written here
                    assertThat(variable).as(variable.get("name") + "").doesNotContainKey("value");
                    assertThat(map(map(variable.get("valueFrom")).get("secretKeyRef"))).containsEntry("name", "tokenledger");
                }
            }
            assertAllBound(env, "Deployment " + role);
            assertThat(map(env.get("TOKENLEDGER_ROLES")).get("value")).isEqualTo(role);
            assertThat(env).containsKeys("SPRING_DATASOURCE_PASSWORD", "SPRING_DATASOURCE_USERNAME");
            assertThat(list(container.get("envFrom")).get(0).toString()).contains("name=tokenledger");

            Map<String, Object> service = map(objects.get("Service/" + role).get("spec"));
            assertThat(podLabels).containsAllEntriesOf(map(service.get("selector")));
            assertThat(list(service.get("ports"))).extracting(p -> p.get("targetPort"))
                    .allSatisfy(target -> assertThat(ports).containsKey((String) target));
            Map<String, Object> budget = map(objects.get("PodDisruptionBudget/" + role).get("spec"));
            assertThat(podLabels).containsAllEntriesOf(map(map(budget.get("selector")).get("matchLabels")));
        }
    }

    @Test
    void theKubernetesGatewayRoutesAsTheComposeOneAndIsTheOneService() throws IOException {
        Map<String, Map<String, Object>> objects = kubernetes();
        assertThat(map(objects.get("ConfigMap/gateway").get("data")).get("Caddyfile"))
                .isEqualTo(Files.readString(ROOT.resolve("Caddyfile")));
        // the Caddyfile names the role Services by these names
        for (String role : ROLES) {
            assertThat(Files.readString(ROOT.resolve("Caddyfile"))).contains("dynamic a " + role + " 8080");
        }
        assertThat(objects).containsKeys("Service/tokenledger", "Deployment/gateway", "PodDisruptionBudget/gateway",
                "NetworkPolicy/tokenledger-instances", "Namespace/tokenledger");
        Map<String, Object> kustomization = objects.values().stream()
                .filter(o -> "Kustomization".equals(o.get("kind"))).findFirst().orElseThrow();
        try (var files = Files.list(ROOT.resolve("deploy/kubernetes"))) {
            assertThat((List<String>) (List<?>) kustomization.get("resources")).containsExactlyInAnyOrderElementsOf(
                    files.map(f -> f.getFileName().toString())
                            .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).toList());
        }
    }
}
