package io.tokenledger.command.user;

import io.tokenledger.api.user.RegisterUser;
import io.tokenledger.api.user.UserId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Registering users, shared by the REST API and the console: the password is hashed before any command. */
@Component
public class UserAccounts {
    private final CommandGateway commands;
    private final PasswordEncoder passwords;

    UserAccounts(CommandGateway commands, PasswordEncoder passwords) {
        this.commands = commands;
        this.passwords = passwords;
    }

    /** Registers a validated new user and returns its id; a taken username is a conflict. */
    public UserId register(NewUser user) {
        UserId userId = UserId.random();
        String displayName = user.displayName() == null || user.displayName().isBlank()
                ? user.username() : user.displayName().strip();
        commands.sendAndWait(new RegisterUser(userId, user.username(), user.email().strip(), displayName, user.role(),
                passwords.encode(user.password())));
        return userId;
    }
}
