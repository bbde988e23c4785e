package io.tokenledger.api.user;

/** Asks for one user's summary; answered with an empty result when there is no such user. */
public record FindUser(UserId userId) {
}
