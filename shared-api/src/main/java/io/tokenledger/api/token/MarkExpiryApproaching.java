package io.tokenledger.api.token;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent when a token's task falls due: a token past its expiry expires; a permanent one otherwise records the warning
 * its ladder calls for now, if any, and plans what comes next (its next warning, or its expiry).
 */
public record MarkExpiryApproaching(@TargetAggregateIdentifier TokenId tokenId) {
}
