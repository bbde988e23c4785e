package io.tokenledger.api.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.UUID;

/**
 * A token was revoked and never authenticates again. {@code jobId} names the bulk revoke job that revoked it; it is
 * absent from other revocations and from events stored before there were jobs.
 */
public record TokenRevoked(TokenId tokenId, UserId ownerId, TokenHash hash, UserId revokedBy, String reason,
                           Instant revokedAt, @JsonInclude(JsonInclude.Include.NON_NULL) UUID jobId) {

    public TokenRevoked(TokenId tokenId, UserId ownerId, TokenHash hash, UserId revokedBy, String reason,
                        Instant revokedAt) {
        this(tokenId, ownerId, hash, revokedBy, reason, revokedAt, null);
    }
}
