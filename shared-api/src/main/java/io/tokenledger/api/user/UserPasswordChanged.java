package io.tokenledger.api.user;

/** A user's password hash was replaced. */
public record UserPasswordChanged(UserId userId, String passwordHash) {
    @Override
    public String toString() {
        return "UserPasswordChanged[userId=" + userId + "]";
    }
}
