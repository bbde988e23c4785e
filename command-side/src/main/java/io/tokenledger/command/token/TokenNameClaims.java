package io.tokenledger.command.token;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;

/**
 * Set validation for token names: a name is unique among an owner's active permanent tokens. Claims are
 * written and released in the same transaction as the command that creates or retires the token.
 */
public interface TokenNameClaims {

    /** Claims the name (case-insensitively) for the token; false if another active token of the owner has it. */
    boolean claim(UserId ownerId, String name, TokenId tokenId);

    /** Releases the name the token held, if any. */
    void release(TokenId tokenId);
}
