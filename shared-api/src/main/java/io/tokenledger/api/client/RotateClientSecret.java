package io.tokenledger.api.client;

import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Gives a client a new secret; the old one stops working at once. */
public record RotateClientSecret(@TargetAggregateIdentifier ClientId id, TokenHash hash, String hint,
                                 UserId rotatedBy) {
}
