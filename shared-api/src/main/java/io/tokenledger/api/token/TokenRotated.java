package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;

/** A token was replaced by a new one; a TokenRevoked with reason ROTATED follows. */
public record TokenRotated(TokenId tokenId, TokenId replacedBy, UserId rotatedBy) {
}
