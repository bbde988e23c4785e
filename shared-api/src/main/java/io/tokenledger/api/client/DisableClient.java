package io.tokenledger.api.client;

import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stops a client from authenticating; disabling a disabled client changes nothing. */
public record DisableClient(@TargetAggregateIdentifier ClientId id, UserId disabledBy) {
}
