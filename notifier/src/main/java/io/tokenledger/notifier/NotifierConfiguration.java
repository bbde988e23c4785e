package io.tokenledger.notifier;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The notifier's typed settings, and its processing group's failure policy. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotificationProperties.class)
class NotifierConfiguration {

    /**
     * Axon's default logs a failing handler and moves on, which here would lose a fault and its e-mails for
     * good; propagating makes the processor roll the batch back and retry it.
     */
    @Bean
    ConfigurerModule notifierFailuresAreRetried() {
        return configurer -> configurer.eventProcessing()
                .registerListenerInvocationErrorHandler(ExpiryNotifier.GROUP, c -> PropagatingErrorHandler.instance());
    }
}
