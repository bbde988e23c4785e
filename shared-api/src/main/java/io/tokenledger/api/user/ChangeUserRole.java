package io.tokenledger.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives a user another role; an admin cannot take the role away from themselves. */
public record ChangeUserRole(@TargetAggregateIdentifier UserId userId, Role role, UserId changedBy) {
}
