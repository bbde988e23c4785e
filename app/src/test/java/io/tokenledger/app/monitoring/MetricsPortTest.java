package io.tokenledger.app.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code tokenledger.metrics.port}, Prometheus scrapes that port without a token, and that port serves nothing
 * else; the API's port still asks for an admin's token.
 */
class MetricsPortTest extends IntegrationTest {

    @Test
    void theMetricsPortServesTheScrapeAloneWithoutAToken() {
        try (ConfigurableApplicationContext instance = Instances.start("--tokenledger.metrics.port=0")) {
            int metricsPort = instance.getBean(MetricsPort.class).localPort();
            assertThat(metricsPort).isPositive().isNotEqualTo(Instances.port(instance));
            Api metrics = new Api(metricsPort);

            Api.Response scrape = metrics.get(MetricsPort.PATH, null);
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.raw()).contains("tokenledger_token_events_total", "tokenledger_security_events_total");

            // nothing else on that port, with or without a token, however the request names itself
            String token = Instances.api(instance).login("admin", ADMIN_PASSWORD);
            for (String path : new String[] {"/api/me", "/actuator/health", "/actuator/info", "/actuator/metrics",
                    "/login", "/", "/actuator/prometheus/", "/actuator/prometheus;x=1"}) {
                assertThat(metrics.get(path, token).status()).as(path).isEqualTo(404);
            }
            assertThat(metrics.call("POST", MetricsPort.PATH, "{}", Map.of()).status()).isEqualTo(404);
            assertThat(metrics.call("GET", MetricsPort.PATH, null, Map.of("X-Forwarded-Port", "8080",
                    "X-Forwarded-For", "10.0.0.1")).status()).isEqualTo(200);

            // the API's port: admins only, as before
            Api main = Instances.api(instance);
            assertThat(main.get(MetricsPort.PATH, null).status()).isEqualTo(401);
            assertThat(main.get(MetricsPort.PATH, token).status()).isEqualTo(200);
        }
    }

    @Test
    void withoutTheSettingThereIsNoMetricsPort() {
        assertThat(new Api(port).get(MetricsPort.PATH, null).status()).isEqualTo(401);
    }
}
