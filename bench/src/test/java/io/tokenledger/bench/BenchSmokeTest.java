package io.tokenledger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole benchmark in its smoke mode, so that the harness keeps working: every scenario runs against the
 * packaged jar at tiny sizes and yields its measures. Its figures are not judged here; {@code bench/run} is
 * the measurement.
 */
class BenchSmokeTest {

    @Test
    void everyScenarioRunsAndMeasures() throws Exception {
        Path jar = Path.of("..", "app", "target", "tokenledger.jar");
        assumeTrue(Files.isRegularFile(jar), "the application jar is built by mvn package/verify");

        Results results = Bench.run(jar, true, false, Set.of());

        Set<String> scenarios = results.rows().stream().map(Results.Row::scenario).collect(Collectors.toSet());
        assertThat(scenarios).contains("startup", "memory");
        assertThat(scenarios).containsAll(Bench.scenarios(true).stream().map(Scenario::name).toList());
        assertThat(results.rows()).allSatisfy(row -> {
            assertThat(Double.isFinite(row.value())).as(row.measure()).isTrue();
            if (row.limit() != null) {
                assertThat(row.limit()).as(row.limitName()).isPositive();
            }
        });
        results.write(Path.of("target", "bench-smoke.json"));
    }
}
