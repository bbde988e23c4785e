package io.tokenledger.api.token;

import io.tokenledger.api.Actor;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces a permanent token by a new one (new id and secret, same name and owner) and revokes the old one.
 *
 * @param expiresAt the new token's expiry, or null for the default lifetime
 */
public record RotateToken(@TargetAggregateIdentifier TokenId tokenId, TokenId newTokenId, TokenHash hash, String hint,
                          Instant expiresAt, Actor actor) {
}
