package io.tokenledger.api.user;

/** A user was registered, enabled, with a BCrypt password hash. */
public record UserRegistered(UserId userId, String username, String email, String displayName, Role role,
                             String passwordHash) {
    @Override
    public String toString() {
        return "UserRegistered[userId=" + userId + ", username=" + username + ", role=" + role + "]";
    }
}
