package io.tokenledger.api.token;

import java.time.Instant;

/**
 * A token authenticated a request. Stored by older versions (at most once per token per interval); no longer
 * applied: a use is telemetry ({@code token_usage}), not a change of the token. Kept so that stored ones still
 * read, in the audit log and in a token's history.
 */
public record TokenUsed(TokenId tokenId, Instant usedAt, String clientIp) {
}
