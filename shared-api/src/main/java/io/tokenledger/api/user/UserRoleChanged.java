package io.tokenledger.api.user;

/** A user's role changed from one to another. */
public record UserRoleChanged(UserId userId, Role from, Role to) {
}
