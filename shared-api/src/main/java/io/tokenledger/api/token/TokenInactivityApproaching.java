package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A permanent token unused since {@code unusedSince} will be revoked as inactive at {@code revokeAt} unless it is
 * used before: its owner and the notification list are e-mailed.
 */
public record TokenInactivityApproaching(TokenId tokenId, UserId ownerId, String name, String hint,
                                         Instant expiresAt, List<String> scopes, Instant unusedSince,
                                         Instant revokeAt, Instant warnedAt) {
}
