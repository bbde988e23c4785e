package io.tokenledger.app.bootstrap;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.user.RegisterUser;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.user.PasswordPolicy;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Creates the first administrator at first start, from {@code tokenledger.bootstrap-admin.*}. With no
 * password configured, one is generated and printed once to the console; it is never stored in clear, and the
 * administrator is asked to change it at the first login (the console opens the password form first, and
 * {@code GET /api/me} answers {@code passwordChangeRequired: true} until it is changed).
 */
@Component
@CommandRole
class BootstrapAdmin implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final TokenLedgerProperties properties;
    private final CommandGateway commands;
    private final PasswordEncoder passwords;
    private final JdbcTemplate jdbc;

    BootstrapAdmin(TokenLedgerProperties properties, CommandGateway commands, PasswordEncoder passwords,
                   JdbcTemplate jdbc) {
        this.properties = properties;
        this.commands = commands;
        this.passwords = passwords;
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        TokenLedgerProperties.BootstrapAdmin admin = properties.bootstrapAdmin();
        Integer claimed = jdbc.queryForObject("SELECT count(*) FROM username_claim WHERE username_key = ?",
                Integer.class, admin.username().toLowerCase(Locale.ROOT));
        if (claimed != null && claimed > 0) {
            return;
        }
        boolean generated = admin.password() == null || admin.password().isBlank();
        if (!generated && PasswordPolicy.brokenRule(admin.password(), admin.username()) != null) {
            // The operator's choice is kept, but said to be weak (never what it is).
            log.warn("The configured bootstrap administrator password {}; change it after the first login",
                    PasswordPolicy.brokenRule(admin.password(), admin.username()));
        }
        String password = generated ? generatePassword() : admin.password();
        try {
            // A generated password has been shown in the console's output: its user is asked to change it.
            commands.sendAndWait(new RegisterUser(UserId.random(), admin.username(), admin.email(), "Administrator",
                    Role.ADMIN, passwords.encode(password), generated));
        } catch (CommandRejected e) {
            if (e.reason() == CommandRejected.Reason.CONFLICT) {
                return; // another instance starting at the same time created it
            }
            throw e;
        }
        if (generated) {
            // Printed to the console only, once; set TOKENLEDGER_BOOTSTRAP_ADMIN_PASSWORD to choose it instead.
            System.out.printf("%n==================================================================%n"
                    + "  Token Ledger bootstrap administrator%n"
                    + "  username: %s%n  password: %s%n"
                    + "  This password is shown only now. Log in and change it.%n"
                    + "==================================================================%n%n",
                    admin.username(), password);
        } else {
            log.info("Created bootstrap administrator '{}'", admin.username());
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
