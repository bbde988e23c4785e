package io.tokenledger.notifier.fault;

import java.time.Instant;
import java.util.UUID;

/** A fault as the Faults list shows it; {@code daysBefore} is null for a TOKEN_LEAKED fault. */
public record FaultView(UUID id, String type, UUID tokenId, String tokenName, String tokenHint, UUID userId,
                        String username, Integer daysBefore, Instant expiresAt, Instant raisedAt, FaultStatus status,
                        Instant acknowledgedAt, UUID acknowledgedBy, Instant clearedAt) {
}
