package io.tokenledger.api.token;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A token was found where it should not be (a secret scanner's report): an active one is revoked with reason
 * {@link RevokeToken#REPORTED_LEAKED}; any other is left as it is. {@code source} is what the reporter says it is.
 */
public record ReportLeakedToken(@TargetAggregateIdentifier TokenId tokenId, String source) {
}
