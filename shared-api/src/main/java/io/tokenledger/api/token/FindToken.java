package io.tokenledger.api.token;

/** Asks for one token's view; answered with an empty result when there is no such token. */
public record FindToken(TokenId tokenId) {
}
