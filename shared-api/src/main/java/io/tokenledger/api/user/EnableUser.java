package io.tokenledger.api.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Enables a disabled user again; revoked tokens stay revoked; idempotent. */
public record EnableUser(@TargetAggregateIdentifier UserId userId) {
}
