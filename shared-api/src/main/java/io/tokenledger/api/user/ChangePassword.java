package io.tokenledger.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces a user's password hash. */
public record ChangePassword(@TargetAggregateIdentifier UserId userId, String passwordHash) {
    @Override
    public String toString() {
        return "ChangePassword[userId=" + userId + "]";
    }
}
