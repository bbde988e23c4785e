package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Revokes a token; revoking a revoked token changes nothing. {@code revokedBy} is null for the system. */
public record RevokeToken(@TargetAggregateIdentifier TokenId tokenId, UserId revokedBy, String reason) {
}
