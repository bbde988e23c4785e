package io.tokenledger.notifier;

import static io.tokenledger.api.SettingCheck.require;

import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tokenledger.console-url}: the only link the e-mails carry.
 *
 * @param consoleUrl the console's public address, an absolute http or https URL
 */
@ConfigurationProperties("tokenledger")
public record ConsoleAddress(@DefaultValue("http://localhost:8080") String consoleUrl) {
    public ConsoleAddress {
        require(isWebAddress(consoleUrl),
                "tokenledger.console-url must be an absolute http or https URL, was " + consoleUrl);
    }

    private static boolean isWebAddress(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException | NullPointerException e) {
            return false;
        }
    }
}
