package io.tokenledger.api;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** Who is calling: the user behind the authenticating token, and that token. */
public record Actor(UserId userId, String username, Role role, TokenId tokenId, TokenKind tokenKind,
                    Instant tokenExpiresAt) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Whether this actor may read everything (admins and auditors). */
    public boolean canReadAll() {
        return role == Role.ADMIN || role == Role.AUDITOR;
    }
}
