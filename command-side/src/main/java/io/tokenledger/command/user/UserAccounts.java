package io.tokenledger.command.user;

import io.tokenledger.api.user.ChangePassword;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.user.RegisterUser;
import io.tokenledger.api.user.UserKind;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.token.TokenId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Registering users and setting their passwords, shared by the REST API and the console: every new password meets
 * {@link PasswordPolicy} and is hashed before any command.
 */
@Component
public class UserAccounts {
    private final CommandGateway commands;
    private final PasswordEncoder passwords;

    UserAccounts(CommandGateway commands, PasswordEncoder passwords) {
        this.commands = commands;
        this.passwords = passwords;
    }

    /**
     * Registers a validated new user and returns its id; a taken username is a conflict, a weak password (or any
     * password for a service account) invalid.
     */
    public UserId register(NewUser user) {
        String hash = null;
        if (user.kind() == UserKind.SERVICE_ACCOUNT) {
            if (user.password() != null) {
                throw CommandRejected.invalid("password", User.SERVICE_ACCOUNT_PASSWORD);
            }
        } else {
            if (user.password() == null) {
                throw CommandRejected.invalid("password", "must not be null");
            }
            PasswordPolicy.require("password", user.password(), user.username());
            hash = passwords.encode(user.password());
        }
        UserId userId = UserId.random();
        String displayName = user.displayName() == null || user.displayName().isBlank()
                ? user.username() : user.displayName().strip();
        commands.sendAndWait(new RegisterUser(userId, user.username(), user.email().strip(), displayName, user.role(),
                hash, false, user.kind()));
        return userId;
    }

    /**
     * A user changes their own password, whose current one was checked against {@code currentPasswordHash}; their
     * other login sessions are revoked, {@code keptSession} (the one they are using, or null) is kept.
     *
     * @throws io.tokenledger.api.CommandRejected invalid {@code newPassword} when it breaks the rule, invalid
     *                                            {@code currentPassword} when the password changed meanwhile
     */
    public void changeOwnPassword(UserId userId, String username, String currentPasswordHash, String newPassword,
                                  TokenId keptSession) {
        PasswordPolicy.require("newPassword", newPassword, username);
        commands.sendAndWait(new ChangePassword(userId, passwords.encode(newPassword), currentPasswordHash, userId,
                keptSession));
    }

    /** An administrator sets another user's password; all the user's login sessions are revoked. */
    public void resetPassword(UserId userId, String username, String newPassword, UserId admin) {
        PasswordPolicy.require("newPassword", newPassword, username);
        commands.sendAndWait(new ChangePassword(userId, passwords.encode(newPassword), null, admin, null));
    }
}
