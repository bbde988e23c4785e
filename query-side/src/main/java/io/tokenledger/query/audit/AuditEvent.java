package io.tokenledger.query.audit;

import tools.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event as auditors see it: where it stands in its aggregate's stream and in the global order, what it
 * says (never a secret or a password hash), and who caused it from where.
 *
 * @param sequence    its position in its aggregate's stream (null for events of no aggregate)
 * @param globalIndex its position in the event store's global order
 * @param deadline    for system-triggered events: the deadline that triggered them
 */
public record AuditEvent(Long sequence, Long globalIndex, String aggregateId, String type, Instant timestamp,
                         JsonNode payload, Actor actor, String clientIp, String userAgent, String requestId,
                         String correlationId, String traceId, String deadline) {

    /** Who caused the event: a user, or {@code system}. */
    public record Actor(String id, String username, String role) {
    }
}
