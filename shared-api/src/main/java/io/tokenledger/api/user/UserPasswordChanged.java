package io.tokenledger.api.user;

import io.tokenledger.api.token.TokenId;

/**
 * A user's password hash was replaced, by the user or an administrator ({@code changedBy}); every login session of
 * the user but {@code keptSession} (null: none) is revoked, and a required change is done.
 */
public record UserPasswordChanged(UserId userId, String passwordHash, UserId changedBy, TokenId keptSession) {
    @Override
    public String toString() {
        return "UserPasswordChanged[userId=" + userId + ", changedBy=" + changedBy + "]";
    }
}
