package io.tokenledger.query.user;

import io.tokenledger.api.user.Role;
import java.time.Instant;

/**
 * The caller's own profile; {@code temporaryToken} is null when they authenticated with a permanent token;
 * {@code passwordChangeRequired} while their password is one generated for them (the bootstrap administrator's).
 */
public record Profile(String id, String username, String email, String displayName, Role role,
                      TemporaryToken temporaryToken, boolean passwordChangeRequired) {

    /** The session's temporary token, without its secret. */
    public record TemporaryToken(String tokenId, Instant expiresAt) {
    }
}
