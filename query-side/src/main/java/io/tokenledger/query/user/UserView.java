package io.tokenledger.query.user;

import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserKind;
import java.time.Instant;
import java.util.UUID;

/**
 * Read model of a user, for lists, the profile and the password check at login; written by {@link UserProjection},
 * read by {@link UserViewRepository}.
 *
 * @param passwordHash null for a service account, which has no password
 * @param passwordVersion the sequence number of the event that set the password; a login's session names the one it
 *                        checked
 * @param passwordChangeRequired whether the password is one generated for the user, which they are asked to change
 */
public record UserView(UUID id, String username, String email, String displayName, Role role, boolean enabled,
                       String passwordHash, UserKind kind, long passwordVersion, boolean passwordChangeRequired,
                       Instant createdAt) {

    /** Without the password hash, which is no one's to read in a log. */
    @Override
    public String toString() {
        return "UserView[id=" + id + ", username=" + username + ", role=" + role + ", enabled=" + enabled + "]";
    }
}
