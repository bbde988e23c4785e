package io.tokenledger.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Registers a new user, a person or a service account (no password); the username must not be taken
 * (case-insensitively). {@code passwordChangeRequired}: the
 * password was generated (the bootstrap administrator's) and the user is asked to change it.
 */
public record RegisterUser(@TargetAggregateIdentifier UserId userId, String username, String email,
                           String displayName, Role role, String passwordHash, boolean passwordChangeRequired,
                           UserKind kind) {

    public RegisterUser {
        kind = kind == null ? UserKind.PERSON : kind;
    }

    public RegisterUser(UserId userId, String username, String email, String displayName, Role role,
                        String passwordHash, boolean passwordChangeRequired) {
        this(userId, username, email, displayName, role, passwordHash, passwordChangeRequired, UserKind.PERSON);
    }

    public RegisterUser(UserId userId, String username, String email, String displayName, Role role,
                        String passwordHash) {
        this(userId, username, email, displayName, role, passwordHash, false);
    }

    @Override
    public String toString() {
        return "RegisterUser[userId=" + userId + ", username=" + username + ", role=" + role + ", kind=" + kind + "]";
    }
}
