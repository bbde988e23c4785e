package io.tokenledger.app.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.tokenledger.query.credential.CredentialLookup;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.mail.health.MailHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Health and metrics beyond the components' own: command timers on the command bus, the credential cache's
 * statistics, Boot's mail check under the name {@code smtp}, and Boot's database check sharing what the readings
 * know of an outage. Axon's own metrics module is switched off
 * ({@code axon.metrics.auto-configuration.enabled=false}): its capacity monitor keeps every message's duration
 * of the last ten seconds and re-registers gauges for every message (docs/decisions.md).
 */
@Configuration(proxyBeanMethods = false)
class MonitoringConfig {

    @Bean
    ConfigurerModule commandMetrics(MeterRegistry registry) {
        CommandMetrics metrics = new CommandMetrics(registry);
        return configurer -> configurer.configureMessageMonitor(CommandBus.class, c -> metrics);
    }

    /** The token lifecycle as the event store commits it: {@code tokenledger.token.events{event}}. */
    @Bean
    ConfigurerModule tokenEventMetrics(MeterRegistry registry) {
        TokenEventMetrics metrics = new TokenEventMetrics(registry);
        return configurer -> configurer.configureMessageMonitor(EventStore.class, c -> metrics);
    }

    /** Hits, misses, puts and evictions of the authentication cache as {@code cache.*{cache="credentials"}}. */
    @Bean
    MeterBinder credentialCacheMetrics(CredentialLookup credentials) {
        return registry -> CaffeineCacheMetrics.monitor(registry, credentials.cache(), "credentials");
    }

    /**
     * The {@code smtp} component: connects to the configured server and greets it (Boot's mail check, also
     * against the embedded capture). Boot's own {@code mail} component is off, so the server is asked once.
     */
    @Bean
    HealthIndicator smtpHealthIndicator(JavaMailSenderImpl mailSender) {
        return new MailHealthIndicator(mailSender);
    }

    /**
     * The {@code db} component: Boot's own check of a pooled connection, taking part in {@link DatabaseOutage} like
     * the readings, so that during an outage a health check waits for a connection once, not once per component.
     */
    @Bean
    HealthIndicator dbHealthIndicator(DataSource dataSource, DatabaseOutage outage) {
        return new DataSourceHealthIndicator(dataSource) {
            @Override
            protected void doHealthCheck(Health.Builder builder) throws Exception {
                outage.check(() -> super.doHealthCheck(builder));
            }
        };
    }
}
