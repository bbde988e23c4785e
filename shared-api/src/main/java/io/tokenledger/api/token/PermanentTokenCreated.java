package io.tokenledger.api.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A permanent token was created; {@code rotatedFrom} names the token it replaces, if any. {@code scopes} is absent
 * in events stored before tokens had scopes, which read as {@link Scopes#DEFAULT}, and left out while it is that.
 */
public record PermanentTokenCreated(TokenId tokenId, UserId ownerId, String name, TokenHash hash, String hint,
                                    Instant createdAt, UserId createdBy, Instant expiresAt, TokenId rotatedFrom,
                                    @JsonInclude(value = JsonInclude.Include.CUSTOM,
                                            valueFilter = Scopes.DefaultFilter.class) List<String> scopes) {

    public PermanentTokenCreated {
        scopes = Scopes.orDefault(scopes);
    }

    public PermanentTokenCreated(TokenId tokenId, UserId ownerId, String name, TokenHash hash, String hint,
                                 Instant createdAt, UserId createdBy, Instant expiresAt, TokenId rotatedFrom) {
        this(tokenId, ownerId, name, hash, hint, createdAt, createdBy, expiresAt, rotatedFrom, Scopes.DEFAULT);
    }
}
