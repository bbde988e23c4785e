package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Creates a permanent token for an owner; only the hash and hint of its secret travel. The expiry must be
 * in the future and at most the App Config's max lifetime away; without one, the token gets the default lifetime.
 * Each scope must be built in or registered. The description and tags are optional ({@link TokenLabels}).
 *
 * @param expiresAt the expiry asked for, or null for the default lifetime
 */
public record CreatePermanentToken(@TargetAggregateIdentifier TokenId tokenId, UserId ownerId, String name,
                                   TokenHash hash, String hint, Instant expiresAt, UserId createdBy,
                                   List<String> scopes, String description, List<String> tags) {

    public CreatePermanentToken {
        scopes = Scopes.orDefault(scopes);
    }

    public CreatePermanentToken(TokenId tokenId, UserId ownerId, String name, TokenHash hash, String hint,
                                Instant expiresAt, UserId createdBy, List<String> scopes) {
        this(tokenId, ownerId, name, hash, hint, expiresAt, createdBy, scopes, null, null);
    }

    public CreatePermanentToken(TokenId tokenId, UserId ownerId, String name, TokenHash hash, String hint,
                                Instant expiresAt, UserId createdBy) {
        this(tokenId, ownerId, name, hash, hint, expiresAt, createdBy, Scopes.DEFAULT);
    }
}
