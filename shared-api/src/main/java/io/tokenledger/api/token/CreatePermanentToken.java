package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Creates a permanent token for an owner; only the hash and hint of its secret travel. The expiry must be
 * in the future and at most {@code maxLifetime} away.
 */
public record CreatePermanentToken(@TargetAggregateIdentifier TokenId tokenId, UserId ownerId, String name,
                                   TokenHash hash, String hint, Instant expiresAt, Duration maxLifetime,
                                   UserId createdBy) {
}
