package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/**
 * An active token was reported leaked and has just been revoked (the TokenRevoked before it): its owner and the
 * notification list are told, and a TOKEN_LEAKED fault is raised. {@code source} is the reporter's word, if any.
 */
public record TokenLeakReported(TokenId tokenId, UserId ownerId, String name, String hint, Instant expiresAt,
                                List<String> scopes, String source, Instant reportedAt) {
}
