package io.tokenledger.api.user;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A user was registered, enabled, with a password hash (none for a service account, whose {@code kind} says so:
 * absent in events stored before, a person, and left out for a person); {@code passwordChangeRequired} when the password was
 * generated and must be changed by the user: absent (false) in events stored before it existed, and left out while
 * false, so those are written back byte for byte.
 */
public record UserRegistered(UserId userId, String username, String email, String displayName, Role role,
                             String passwordHash,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean passwordChangeRequired,
                             @JsonInclude(value = JsonInclude.Include.CUSTOM,
                                     valueFilter = UserKind.PersonFilter.class) UserKind kind) {

    public UserRegistered {
        kind = kind == null ? UserKind.PERSON : kind;
    }

    public UserRegistered(UserId userId, String username, String email, String displayName, Role role,
                          String passwordHash, boolean passwordChangeRequired) {
        this(userId, username, email, displayName, role, passwordHash, passwordChangeRequired, UserKind.PERSON);
    }

    public UserRegistered(UserId userId, String username, String email, String displayName, Role role,
                          String passwordHash) {
        this(userId, username, email, displayName, role, passwordHash, false);
    }

    @Override
    public String toString() {
        return "UserRegistered[userId=" + userId + ", username=" + username + ", role=" + role + ", kind=" + kind
                + "]";
    }
}
