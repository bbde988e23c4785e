package io.tokenledger.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers a new user; the username must not be taken (case-insensitively). */
public record RegisterUser(@TargetAggregateIdentifier UserId userId, String username, String email,
                           String displayName, Role role, String passwordHash) {
    @Override
    public String toString() {
        return "RegisterUser[userId=" + userId + ", username=" + username + ", role=" + role + "]";
    }
}
