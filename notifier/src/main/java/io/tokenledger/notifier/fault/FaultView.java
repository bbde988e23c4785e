package io.tokenledger.notifier.fault;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A fault as the Faults list shows it: about a token ({@code TOKEN_EXPIRING}, {@code TOKEN_LEAKED},
 * {@code ROTATED_TOKEN_REUSED}: token fields set; {@code daysBefore} null but for an expiry warning; {@code detail}
 * set for a reuse) or a webhook endpoint ({@code WEBHOOK_DISABLED}, {@code webhookId} and
 * {@code detail} set).
 */
public record FaultView(UUID id, String type, UUID tokenId, String tokenName, String tokenHint, UUID userId,
                        String username, Integer daysBefore, Instant expiresAt, Instant raisedAt, FaultStatus status,
                        Instant acknowledgedAt, UUID acknowledgedBy, Instant clearedAt,
                        @JsonInclude(JsonInclude.Include.NON_NULL) UUID webhookId,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {
}
