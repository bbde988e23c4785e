package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A token rotated with a grace period was used again after its successor had been used: whoever still holds the old
 * secret may not be whoever the rotation was for. It raises a ROTATED_TOKEN_REUSED fault; the token keeps working
 * until its grace ends.
 */
public record RotatedTokenReused(TokenId tokenId, UserId ownerId, String name, String hint, Instant expiresAt,
                                 List<String> scopes, TokenId supersededBy, Instant graceEndsAt, Instant detectedAt) {
}
