package io.tokenledger.app.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.tokenledger.app.Api;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.app.config.TokenLedgerProperties;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The first start with no bootstrap password configured: the generated one, shown in the console output, must be
 * changed. The console sends the administrator to the password form; {@code GET /api/me} says so; the API works.
 */
class GeneratedBootstrapPasswordTest extends IntegrationTest {
    @Autowired
    CommandGateway commands;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aGeneratedPasswordSeenInTheStartOutputMustBeChangedAtTheFirstLogin() {
        String name = unique("first-admin");
        TokenLedgerProperties properties = mock(TokenLedgerProperties.class);
        when(properties.bootstrapAdmin())
                .thenReturn(new TokenLedgerProperties.BootstrapAdmin(name, null, name + "@example.com"));
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            new BootstrapAdmin(properties, commands, passwords, jdbc).run(null);
        } finally {
            System.setOut(out);
        }
        Matcher shown = Pattern.compile("password: (\\S+)").matcher(printed.toString(StandardCharsets.UTF_8));
        assertThat(shown.find()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
        String generated = shown.group(1);

        String session = api.login(name, generated);
        assertThat(api.get("/api/me", session).json().get("passwordChangeRequired").asBoolean()).isTrue();
        Api.Response profile = api.get("/profile", session);
        assertThat(profile.status()).isEqualTo(302);
        assertThat(profile.header("Location")).endsWith("/profile/password");
        assertThat(api.get("/admin/users", session).header("Location")).endsWith("/profile/password");
        Api.Response form = api.get("/profile/password", session);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.raw()).contains("password-change-required", "change-password-form");
        assertThat(api.get("/api/users", session).status()).as("the API is not held back").isEqualTo(200);

        assertThat(api.post("/api/me/password", session,
                Map.of("currentPassword", generated, "newPassword", "Granite-Meadow-Falcon-88")).status())
                .isEqualTo(204);
        assertThat(api.get("/api/me", session).json().get("passwordChangeRequired").asBoolean()).isFalse();
        assertThat(api.get("/profile", session).status()).isEqualTo(200);
        assertThat(api.get("/api/me", adminToken()).json().get("passwordChangeRequired").asBoolean())
                .as("a configured password").isFalse();
    }
}
