package io.tokenledger.api.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A permanent token was created; {@code rotatedFrom} names the token it replaces, if any. {@code scopes} is absent
 * in events stored before tokens had scopes, which read as {@link Scopes#DEFAULT}, and left out while it is that.
 * {@code description} and {@code tags} ({@link TokenLabels}) are absent in older events and left out when there are
 * none.
 */
public record PermanentTokenCreated(TokenId tokenId, UserId ownerId, String name, TokenHash hash, String hint,
                                    Instant createdAt, UserId createdBy, Instant expiresAt, TokenId rotatedFrom,
                                    @JsonInclude(value = JsonInclude.Include.CUSTOM,
                                            valueFilter = Scopes.DefaultFilter.class) List<String> scopes,
                                    @JsonInclude(JsonInclude.Include.NON_NULL) String description,
                                    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tags) {

    public PermanentTokenCreated {
        scopes = Scopes.orDefault(scopes);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public PermanentTokenCreated(TokenId tokenId, UserId ownerId, String name, TokenHash hash, String hint,
                                 Instant createdAt, UserId createdBy, Instant expiresAt, TokenId rotatedFrom,
                                 List<String> scopes) {
        this(tokenId, ownerId, name, hash, hint, createdAt, createdBy, expiresAt, rotatedFrom, scopes, null, null);
    }

    public PermanentTokenCreated(TokenId tokenId, UserId ownerId, String name, TokenHash hash, String hint,
                                 Instant createdAt, UserId createdBy, Instant expiresAt, TokenId rotatedFrom) {
        this(tokenId, ownerId, name, hash, hint, createdAt, createdBy, expiresAt, rotatedFrom, Scopes.DEFAULT);
    }
}
