package io.tokenledger.app.embedded;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.util.StringUtils;

/**
 * The {@code prod} profile runs on an external PostgreSQL and an external SMTP server, never on the embedded ones
 * meant for trying the service out: without {@code spring.datasource.url} or {@code spring.mail.host} it stops the
 * start, before anything embedded would start in their place, naming what is missing.
 */
public class ProductionProfileCheck implements EnvironmentPostProcessor, Ordered {
    public static final String PROFILE = "prod";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1; // before the embedded starters
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.acceptsProfiles(Profiles.of(PROFILE))) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (!StringUtils.hasText(env.getProperty("spring.datasource.url"))) {
            missing.add("an external PostgreSQL (spring.datasource.url, .username, .password; SPRING_DATASOURCE_URL, "
                    + "SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD)");
        }
        if (!StringUtils.hasText(env.getProperty("spring.mail.host"))) {
            missing.add("an external SMTP server (spring.mail.host, .port; SPRING_MAIL_HOST, SPRING_MAIL_PORT)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The prod profile does not start on the embedded PostgreSQL or SMTP "
                    + "capture, which are for trying Token Ledger out; configure " + String.join(" and ", missing));
        }
    }
}
