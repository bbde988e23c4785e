package io.tokenledger.api.user;

import java.time.Instant;

/** A user as lists and the profile show them, with how many tokens they hold in each status. */
public record UserSummary(String id, String username, String email, String displayName, Role role, boolean enabled,
                          Instant createdAt, TokenCounts tokens, UserKind kind) {

    /** Number of a user's tokens by status. */
    public record TokenCounts(long active, long expired, long revoked) {
    }
}
