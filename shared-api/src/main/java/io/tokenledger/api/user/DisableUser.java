package io.tokenledger.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Disables a user: they can no longer log in and all their tokens are revoked; idempotent. */
public record DisableUser(@TargetAggregateIdentifier UserId userId, UserId disabledBy) {
}
