package io.tokenledger.command.user;

import io.tokenledger.api.user.UserId;

/**
 * Set validation for usernames: a claim is written in the same transaction as the command that
 * registers the user, so two concurrent registrations of one name cannot both commit.
 */
public interface UsernameClaims {

    /** Claims the username (case-insensitively) for the user; false if someone else holds it. */
    boolean claim(String username, UserId userId);
}
