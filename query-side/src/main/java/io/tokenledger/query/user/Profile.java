package io.tokenledger.query.user;

import io.tokenledger.api.user.Role;
import java.time.Instant;

/** The caller's own profile; {@code temporaryToken} is null when they authenticated with a permanent token. */
public record Profile(String id, String username, String email, String displayName, Role role,
                      TemporaryToken temporaryToken) {

    /** The session's temporary token, without its secret. */
    public record TemporaryToken(String tokenId, Instant expiresAt) {
    }
}
