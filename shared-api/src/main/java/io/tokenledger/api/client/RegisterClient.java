package io.tokenledger.api.client;

import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers a resource server as a client; only the hash and hint of its secret travel. */
public record RegisterClient(@TargetAggregateIdentifier ClientId id, String clientId, String name, TokenHash hash,
                             String hint, UserId registeredBy) {
}
