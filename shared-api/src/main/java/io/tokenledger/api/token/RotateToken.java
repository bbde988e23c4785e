package io.tokenledger.api.token;

import io.tokenledger.api.Actor;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces a permanent token by a new one (new id and secret, same name and owner) and revokes the old one. The new
 * token carries {@code scopes}, or the old one's when null.
 *
 * @param expiresAt the new token's expiry, or null for the default lifetime
 */
public record RotateToken(@TargetAggregateIdentifier TokenId tokenId, TokenId newTokenId, TokenHash hash, String hint,
                          Instant expiresAt, Actor actor, List<String> scopes) {

    public RotateToken(TokenId tokenId, TokenId newTokenId, TokenHash hash, String hint, Instant expiresAt,
                       Actor actor) {
        this(tokenId, newTokenId, hash, hint, expiresAt, actor, null);
    }
}
