package io.tokenledger.api.token;

import java.time.Instant;

/** A token authenticated a request (recorded at most once per interval). */
public record TokenUsed(TokenId tokenId, Instant usedAt, String clientIp) {
}
