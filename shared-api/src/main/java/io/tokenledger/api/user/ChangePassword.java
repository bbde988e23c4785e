package io.tokenledger.api.user;

import io.tokenledger.api.token.TokenId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces a user's password hash. {@code currentPasswordHash} is the hash the user's current password was checked
 * against (a change by the user), or null (an administrator's reset): the change is refused when the password was
 * changed meanwhile. The user's login sessions are revoked, except {@code keptSession}, the session the user changed
 * it in (null: none is kept).
 */
public record ChangePassword(@TargetAggregateIdentifier UserId userId, String passwordHash, String currentPasswordHash,
                             UserId changedBy, TokenId keptSession) {
    @Override
    public String toString() {
        return "ChangePassword[userId=" + userId + ", changedBy=" + changedBy + "]";
    }
}
