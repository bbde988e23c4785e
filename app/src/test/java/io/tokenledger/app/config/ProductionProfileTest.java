package io.tokenledger.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenledger.app.Instances;
import io.tokenledger.app.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The {@code prod} profile refuses the embedded PostgreSQL and SMTP capture, naming what to configure, and starts on
 * external ones (here the shared test context's, given by URL and host as an operator would).
 */
class ProductionProfileTest extends IntegrationTest {

    @Autowired
    Environment environment;

    @Test
    void withoutAnExternalDatabaseAndMailServerTheProdProfileDoesNotStart() {
        assertThatThrownBy(() -> Instances.start("--spring.profiles.active=prod").close())
                .hasMessageContaining("The prod profile does not start on the embedded PostgreSQL")
                .hasMessageContaining("SPRING_DATASOURCE_URL").hasMessageContaining("SPRING_MAIL_HOST");

        assertThatThrownBy(() -> Instances.start("--spring.profiles.active=prod",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url")).close())
                .hasMessageContaining("SPRING_MAIL_HOST").message().doesNotContain("SPRING_DATASOURCE_URL");
    }

    @Test
    void onExternalOnesItStartsAndStartsNothingEmbedded() {
        try (ConfigurableApplicationContext prod = Instances.start("--spring.profiles.active=prod",
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password"),
                "--spring.mail.host=" + environment.getProperty("spring.mail.host"),
                "--spring.mail.port=" + environment.getProperty("spring.mail.port"))) {
            assertThat(Instances.api(prod).get("/actuator/health/readiness", null).status()).isEqualTo(200);
            assertThat(prod.getEnvironment().getPropertySources().contains("embeddedPostgres")).isFalse();
            assertThat(prod.getEnvironment().getPropertySources().contains("embeddedSmtp")).isFalse();
        }
    }
}
