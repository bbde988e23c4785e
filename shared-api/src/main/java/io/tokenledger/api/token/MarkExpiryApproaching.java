package io.tokenledger.api.token;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent when a token's pending expiry warning falls due: the token records the warning its ladder calls for now, if
 * any, and plans the next one.
 */
public record MarkExpiryApproaching(@TargetAggregateIdentifier TokenId tokenId) {
}
