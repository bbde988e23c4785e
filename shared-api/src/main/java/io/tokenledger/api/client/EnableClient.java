package io.tokenledger.api.client;

import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Lets a disabled client authenticate again; enabling an enabled client changes nothing. */
public record EnableClient(@TargetAggregateIdentifier ClientId id, UserId enabledBy) {
}
