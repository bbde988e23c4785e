package io.tokenledger.app.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The monitoring kit in deploy/ (Prometheus alerting rules, the Grafana dashboard) uses only metrics that the
 * running application exports: every metric name in their PromQL is a sample of {@code /actuator/prometheus}.
 */
class MonitoringKitTest extends IntegrationTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    /** PromQL's words that are not metric names: aggregations, functions, operators, modifiers. */
    private static final Set<String> PROMQL = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "rate", "irate", "increase", "delta", "idelta", "deriv",
            "histogram_quantile", "abs", "absent", "ceil", "floor", "round", "clamp_min", "clamp_max", "clamp",
            "vector", "scalar", "time", "sort", "sort_desc", "changes", "resets", "avg_over_time", "max_over_time",
            "min_over_time", "sum_over_time", "count_over_time", "last_over_time", "predict_linear", "and", "or",
            "unless", "bool", "offset", "label_values", "label_replace", "label_join", "by", "without", "on",
            "ignoring", "group_left", "group_right");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** The metric names a PromQL expression reads. */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " "); // ranges
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            boolean number = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!PROMQL.contains(word) && !word.startsWith("$") && !number) {
                names.add(word);
            }
        }
        return names;
    }

    /** Every sample name the application exports now. */
    private Set<String> exported() {
        String token = adminToken();
        api.get("/api/me", token); // at least one request measured
        api.get("/api/users/" + java.util.UUID.randomUUID(), token);
        Api.Response scrape = api.get("/actuator/prometheus", token);
        assertThat(scrape.status()).isEqualTo(200);
        Set<String> names = new TreeSet<>();
        for (String line : scrape.raw().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    @Test
    void theAlertingRulesReadOnlyExportedMetrics() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(DEPLOY.resolve("prometheus/alerts.yml")));
        List<String> expressions = new ArrayList<>();
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                expressions.add(String.valueOf(((Map<?, ?>) rule).get("expr")));
            }
        }
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(6);
        Set<String> used = new TreeSet<>();
        expressions.forEach(e -> used.addAll(metricNames(e)));
        assertThat(used).contains("tokenledger_processor_error", "tokenledger_processor_lag_events",
                "tokenledger_deadlines_overdue_oldest_seconds", "tokenledger_outbox_depth",
                "http_server_requests_seconds_count", "tokenledger_security_events_total");
        assertThat(exported()).containsAll(used);
    }

    @Test
    void theDashboardReadsOnlyExportedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/tokenledger-dashboard.json").toFile());
        Set<String> used = new TreeSet<>();
        int targets = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                used.addAll(metricNames(target.path("expr").asText()));
                targets++;
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").path("query").asText("");
            Matcher labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(query);
            if (labelValues.find()) {
                used.add(labelValues.group(1));
            }
        }
        assertThat(targets).isGreaterThanOrEqualTo(10);
        assertThat(used).contains("tokenledger_token_events_total", "tokenledger_commands_seconds_bucket",
                "hikaricp_connections_active", "jvm_memory_used_bytes");
        assertThat(exported()).containsAll(used);
    }

    @Test
    void metricNamesAreTakenFromPromqlAlone() {
        assertThat(metricNames("sum by (le, command) (rate(a_seconds_bucket{outcome=\"failure\",instance=~\"$i\"}[5m]))"
                + " / on(instance) group_left b_total > 0.05 and max(c) * 60"))
                .containsExactly("a_seconds_bucket", "b_total", "c");
    }
}
