package io.tokenledger.notifier;

import io.tokenledger.notifier.webhook.WebhookProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The notifier's typed settings. Its failing handlers are retried, never skipped, like every processor's. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NotificationProperties.class, WebhookProperties.class, ConsoleAddress.class})
class NotifierConfiguration {
}
