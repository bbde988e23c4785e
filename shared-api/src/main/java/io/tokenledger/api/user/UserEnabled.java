package io.tokenledger.api.user;

/** A disabled user was enabled again. */
public record UserEnabled(UserId userId) {
}
