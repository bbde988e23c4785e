package io.tokenledger.api.token;

/**
 * Asks for the active tokens a selection matches: how many, the first {@code sampleSize} of them (newest first), and
 * all their ids when {@code withIds}. Answered with {@link ActiveTokens}.
 */
public record FindActiveTokens(TokenSelection selection, int sampleSize, boolean withIds) {
}
