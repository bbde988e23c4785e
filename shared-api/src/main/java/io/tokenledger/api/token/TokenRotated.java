package io.tokenledger.api.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokenledger.api.user.UserId;
import java.time.Instant;

/**
 * A token was replaced by a new one. Without a grace period ({@code graceEndsAt} null, as every rotation stored by
 * earlier versions) a TokenRevoked with reason ROTATED follows; with one the token is {@link TokenStatus#ROTATING}
 * and keeps working until {@code graceEndsAt}, when it expires (or at its own expiry, if that comes first). Stored
 * without {@code graceEndsAt} when there is none, as earlier versions stored every rotation.
 */
public record TokenRotated(TokenId tokenId, TokenId replacedBy, UserId rotatedBy,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Instant graceEndsAt) {

    public TokenRotated(TokenId tokenId, TokenId replacedBy, UserId rotatedBy) {
        this(tokenId, replacedBy, rotatedBy, null);
    }
}
