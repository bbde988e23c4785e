package io.tokenledger.command.token;

import static io.tokenledger.api.SettingCheck.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code tokenledger.tokens}.
 *
 * @param maxLifetime longest lifetime of a permanent token while the App Config key
 *                    {@code Permanent Token Max Lifetime Days} is not set (also the default expiry when shorter than a
 *                    year)
 */
@ConfigurationProperties("tokenledger.tokens")
public record TokenProperties(@DefaultValue("365d") Duration maxLifetime) {
    public TokenProperties {
        positive("tokenledger.tokens.max-lifetime", maxLifetime);
    }
}
