package io.tokenledger.command.token;

import io.tokenledger.api.user.UserId;

/** Owners as the fixtures need them: every owner exists and is enabled (PostgreSQL's part is tested over HTTP). */
final class TokenOwnersStub {
    private TokenOwnersStub() {
    }

    static TokenOwners enabled() {
        return new TokenOwners(null) {
            @Override
            void requireEnabled(UserId owner) {
            }
        };
    }
}
