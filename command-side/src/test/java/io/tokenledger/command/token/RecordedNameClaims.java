package io.tokenledger.command.token;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Token name claims kept in memory for fixture tests: one active token per owner and name, in any case. */
class RecordedNameClaims implements TokenNameClaims {
    private final Map<String, TokenId> claimed = new HashMap<>();

    @Override
    public boolean claim(UserId ownerId, String name, TokenId tokenId) {
        return claimed.putIfAbsent(ownerId + "/" + name.toLowerCase(Locale.ROOT), tokenId) == null;
    }

    @Override
    public void release(TokenId tokenId) {
        claimed.values().remove(tokenId);
    }

    /** The claims held, by {@code owner/name in lower case}; a test may add one as if another token held it. */
    Map<String, TokenId> claimed() {
        return claimed;
    }
}
