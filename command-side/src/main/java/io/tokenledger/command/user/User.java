package io.tokenledger.command.user;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.EmailAddress;
import io.tokenledger.api.user.ChangePassword;
import io.tokenledger.api.user.ChangeUserRole;
import io.tokenledger.api.user.DisableUser;
import io.tokenledger.api.user.EnableUser;
import io.tokenledger.api.user.RegisterUser;
import io.tokenledger.api.user.UserKind;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserPasswordChanged;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.api.user.UserRoleChanged;
import io.tokenledger.command.CommandRole;
import io.tokenledger.api.PrintableText;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A person who logs in, with one role; disabling them retires all their tokens. */
@CommandRole
@Aggregate
public class User {
    /** Usernames: letters, digits, dot, dash, underscore; 3 to 64 characters, starting with a letter or digit. */
    public static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,63}");
    /** Demoting or disabling the last active administrator would leave nobody to administer the system. */
    public static final CommandRejected.Problem LAST_ADMIN =
            new CommandRejected.Problem("last-admin", "Last active administrator");

    /** The refusal of a password given for a service account. */
    public static final String SERVICE_ACCOUNT_PASSWORD = "must not be given for a service account, which never logs in";
    /** The refusal of a change by the user whose current password is not the one given. */
    public static final String CURRENT_PASSWORD_WRONG = "is not your current password";

    @AggregateIdentifier
    private UserId userId;
    private Role role;
    private boolean enabled;
    private String passwordHash;
    private UserKind kind;

    protected User() {
    }

    @CommandHandler
    public User(RegisterUser command, UsernameClaims claims, ActiveAdmins admins) {
        if (command.username() == null || !USERNAME.matcher(command.username()).matches()) {
            throw CommandRejected.invalid("username",
                    "must be 3-64 letters, digits, '.', '-' or '_', starting with a letter or digit");
        }
        if (command.email() != null && !command.email().isEmpty() && !EmailAddress.isValid(command.email())) {
            throw CommandRejected.invalid("email", EmailAddress.RULE);
        }
        if (command.displayName() != null && !PrintableText.isPrintable(command.displayName())) {
            throw CommandRejected.invalid("displayName", "must contain printable characters only");
        }
        if (command.role() == null) {
            throw CommandRejected.invalid("role", "must be one of ADMIN, AUDITOR, USER");
        }
        if (command.kind() == UserKind.SERVICE_ACCOUNT) {
            if (command.passwordHash() != null) {
                throw CommandRejected.invalid("password", SERVICE_ACCOUNT_PASSWORD);
            }
            if (command.email() == null || command.email().isBlank()) {
                throw CommandRejected.invalid("email", "is the service account's contact address and is required");
            }
        } else if (command.passwordHash() == null || command.passwordHash().isBlank()) {
            throw CommandRejected.invalid("password", "must not be empty");
        }
        if (!claims.claim(command.username(), command.userId())) {
            throw CommandRejected.conflict("username '" + command.username() + "' is already taken");
        }
        if (command.role() == Role.ADMIN) {
            admins.add(command.userId());
        }
        apply(new UserRegistered(command.userId(), command.username(), command.email(), command.displayName(),
                command.role(), command.passwordHash(), command.passwordChangeRequired(), command.kind()));
    }

    @CommandHandler
    public void handle(ChangeUserRole command, ActiveAdmins admins) {
        if (command.role() == null) {
            throw CommandRejected.invalid("role", "must be one of ADMIN, AUDITOR, USER");
        }
        if (command.role() == role) {
            return;
        }
        if (userId.equals(command.changedBy()) && role == Role.ADMIN) {
            throw CommandRejected.conflict("an administrator cannot take away their own ADMIN role");
        }
        if (enabled && role == Role.ADMIN) {
            leaveActiveAdmins(admins, "demoted");
        } else if (enabled && command.role() == Role.ADMIN) {
            admins.add(userId);
        }
        apply(new UserRoleChanged(userId, role, command.role()));
    }

    @CommandHandler
    public void handle(DisableUser command, ActiveAdmins admins) {
        if (!enabled) {
            return;
        }
        if (userId.equals(command.disabledBy())) {
            throw CommandRejected.conflict("users cannot disable themselves");
        }
        if (role == Role.ADMIN) {
            leaveActiveAdmins(admins, "disabled");
        }
        apply(new UserDisabled(userId));
    }

    @CommandHandler
    public void handle(EnableUser command, ActiveAdmins admins) {
        if (!enabled) {
            if (role == Role.ADMIN) {
                admins.add(userId);
            }
            apply(new UserEnabled(userId));
        }
    }

    private void leaveActiveAdmins(ActiveAdmins admins, String how) {
        if (!admins.removeUnlessLast(userId)) {
            throw CommandRejected.conflict(LAST_ADMIN, "user " + userId + " is the last active administrator and "
                    + "cannot be " + how + "; make another user an administrator first");
        }
    }

    /**
     * A new password hash (checked against the password rule before hashing). The user's own change names the hash
     * their current password was checked against: if the password was changed meanwhile, it is refused as a wrong
     * current password. An administrator resets another user's password without it, never their own.
     */
    @CommandHandler
    public void handle(ChangePassword command) {
        if (kind == UserKind.SERVICE_ACCOUNT) {
            throw CommandRejected.conflict("a service account has no password: it never logs in");
        }
        if (command.passwordHash() == null || command.passwordHash().isBlank()) {
            throw CommandRejected.invalid("newPassword", "must not be empty");
        }
        if (command.currentPasswordHash() == null) {
            if (userId.equals(command.changedBy())) {
                throw CommandRejected.invalid("currentPassword",
                        "is required to change your own password (POST /api/me/password)");
            }
        } else if (!command.currentPasswordHash().equals(passwordHash)) {
            throw CommandRejected.invalid("currentPassword", CURRENT_PASSWORD_WRONG);
        }
        apply(new UserPasswordChanged(userId, command.passwordHash(), command.changedBy(), command.keptSession()));
    }

    @EventSourcingHandler
    void on(UserRegistered event) {
        userId = event.userId();
        role = event.role();
        enabled = true;
        passwordHash = event.passwordHash();
        kind = event.kind();
    }

    @EventSourcingHandler
    void on(UserPasswordChanged event) {
        passwordHash = event.passwordHash();
    }

    @EventSourcingHandler
    void on(UserRoleChanged event) {
        role = event.to();
    }

    @EventSourcingHandler
    void on(UserDisabled event) {
        enabled = false;
    }

    @EventSourcingHandler
    void on(UserEnabled event) {
        enabled = true;
    }
}
