package io.tokenledger.api.token;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Sent by the expiry saga when a warning is due: the token expires in {@code daysBefore} days or fewer. */
public record MarkExpiryApproaching(@TargetAggregateIdentifier TokenId tokenId, int daysBefore) {
}
