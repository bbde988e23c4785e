package io.tokenledger.api.user;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A user was registered, enabled, with a password hash; {@code passwordChangeRequired} when the password was
 * generated and must be changed by the user: absent (false) in events stored before it existed, and left out while
 * false, so those are written back byte for byte.
 */
public record UserRegistered(UserId userId, String username, String email, String displayName, Role role,
                             String passwordHash,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean passwordChangeRequired) {

    public UserRegistered(UserId userId, String username, String email, String displayName, Role role,
                          String passwordHash) {
        this(userId, username, email, displayName, role, passwordHash, false);
    }

    @Override
    public String toString() {
        return "UserRegistered[userId=" + userId + ", username=" + username + ", role=" + role + "]";
    }
}
