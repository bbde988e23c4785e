package io.tokenledger.api.token;

import java.util.List;

/** The active tokens a selection matched ({@link FindActiveTokens}); {@code ids} is empty unless asked for. */
public record ActiveTokens(long matched, List<TokenView> sample, List<TokenId> ids) {

    public ActiveTokens {
        sample = List.copyOf(sample);
        ids = List.copyOf(ids);
    }
}
