package io.tokenledger.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenledger.app.Instances;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A bad {@code tokenledger.*} value stops the start, and what the operator reads names the property, what it must be
 * and what it was: Spring Boot's failure report of the binding, from the settings record's own check.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsValidationTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            tokenledger.stream.max-per-user     | 0              | tokenledger.stream.max-per-user must be at least 1, was 0
            tokenledger.session.idle-timeout    | -5m            | tokenledger.session.idle-timeout must be a positive duration
            tokenledger.login.max-delay         | 100ms          | tokenledger.login.max-delay must not be shorter than tokenledger.login.first-delay
            tokenledger.console.page-size       | 500            | tokenledger.console.page-size must be from 1 to 200, was 500
            tokenledger.console-url             | localhost:8080 | tokenledger.console-url must be an absolute http or https URL, was localhost:8080
            tokenledger.roles                   | command,reader | tokenledger.roles has an unknown role 'reader'
            tokenledger.notifications.max-attempts | 0           | tokenledger.notifications.max-attempts must be at least 1, was 0
            tokenledger.tokens.max-lifetime     | 0d             | tokenledger.tokens.max-lifetime must be a positive duration
            tokenledger.usage.flush-interval    | soon           | tokenledger.usage.flush-interval
            """)
    void aBadValueStopsTheStartNamingIt(String property, String value, String message, CapturedOutput output) {
        assertThatThrownBy(() -> Instances.start("--" + property + "=" + value).close())
                .hasStackTraceContaining(property);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START").contains(message);
    }
}
