package io.tokenledger.api.user;

/**
 * A user was registered, enabled, with a password hash; {@code passwordChangeRequired} when the password was
 * generated and must be changed by the user (false in events stored before it existed).
 */
public record UserRegistered(UserId userId, String username, String email, String displayName, Role role,
                             String passwordHash, boolean passwordChangeRequired) {

    public UserRegistered(UserId userId, String username, String email, String displayName, Role role,
                          String passwordHash) {
        this(userId, username, email, displayName, role, passwordHash, false);
    }

    @Override
    public String toString() {
        return "UserRegistered[userId=" + userId + ", username=" + username + ", role=" + role + "]";
    }
}
