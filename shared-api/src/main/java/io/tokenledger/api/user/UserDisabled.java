package io.tokenledger.api.user;

/** A user was disabled. */
public record UserDisabled(UserId userId) {
}
