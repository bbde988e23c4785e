package io.tokenledger.app.roles;

import io.tokenledger.app.config.TokenLedgerProperties;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Checks {@code tokenledger.roles} before anything starts, and keeps the deadline scheduler to instances with
 * the command role: deadlines (a token's expiry warning or expiry) fire into aggregates, which only those
 * instances run.
 */
public class RoleSwitches implements EnvironmentPostProcessor, Ordered {

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        Set<Roles> roles = TokenLedgerProperties.bind(env).instanceRoles();
        if (!roles.contains(Roles.COMMAND)) {
            env.getPropertySources().addFirst(new MapPropertySource("tokenledgerRoles",
                    Map.of("db-scheduler.enabled", "false")));
        }
    }
}
