package io.tokenledger.api.token;

import io.tokenledger.api.Actor;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces a permanent token by a new one (new id and secret, same name and owner) and revokes the old one. */
public record RotateToken(@TargetAggregateIdentifier TokenId tokenId, TokenId newTokenId, TokenHash hash, String hint,
                          Instant expiresAt, Duration maxLifetime, Actor actor) {
}
