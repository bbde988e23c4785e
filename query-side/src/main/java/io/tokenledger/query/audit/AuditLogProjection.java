package io.tokenledger.query.audit;

import tools.jackson.databind.JsonNode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The global audit log: one row per stored event of any type, with its metadata flattened into columns for
 * filtering and its payload as auditors see it. Inserts are idempotent, so redelivered events change nothing.
 */
@Component
@ProcessingGroup(AuditLogProjection.GROUP)
class AuditLogProjection {
    static final String GROUP = "audit-log";
    /**
     * The global index is read from the stored row, not from the tracking token: an event of a transaction that
     * committed late fills a gap behind the token, and its token still carries the highest index seen so far.
     * A token event that names no owner (rotation, use) takes the owner from the token's earlier events, which
     * this processor has already handled (or inserts earlier in the same batch): events of one aggregate stay in
     * one segment, in order.
     */
    private static final String INSERT = """
            INSERT INTO audit_event (global_index, event_id, aggregate_id, sequence_number, type, occurred_at,
                                     actor_id, actor_username, actor_role, client_ip, user_agent, request_id,
                                     correlation_id, trace_id, deadline, user_id, token_id, payload)
            SELECT e.global_index, e.event_identifier, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                   coalesce(?, (SELECT a.user_id FROM audit_event a WHERE a.token_id = ? AND a.user_id IS NOT NULL
                                LIMIT 1)),
                   ?, ?::jsonb
            FROM domain_event_entry e WHERE e.event_identifier = ?
            ON CONFLICT DO NOTHING""";
    private static final String PENDING = AuditLogProjection.class.getName() + ".pending";

    private final JdbcTemplate jdbc;
    private final AuditEvents events;

    AuditLogProjection(JdbcTemplate jdbc, AuditEvents events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @EventHandler
    void on(EventMessage<?> message) {
        AuditEvent event = events.of(message, null);
        UUID userId = uuid(event.payload(), "userId");
        if (userId == null) {
            userId = uuid(event.payload(), "ownerId");
        }
        UUID tokenId = uuid(event.payload(), "tokenId");
        AuditEvent.Actor actor = event.actor();
        pending().add(new Object[] {event.aggregateId(), event.sequence(), event.type(),
                Timestamp.from(event.timestamp()), actor == null ? null : actor.id(),
                actor == null ? null : actor.username(), actor == null ? null : actor.role(), event.clientIp(),
                event.userAgent(), event.requestId(), event.correlationId(), event.traceId(), event.deadline(),
                userId, tokenId, tokenId, event.payload().toString(), message.getIdentifier()});
    }

    /**
     * The rows of the processor's current batch, inserted together (in order) just before the batch commits with
     * its token: one round trip per batch instead of one per event, which is what bounds catching up and replays.
     */
    private List<Object[]> pending() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING, key -> {
            List<Object[]> rows = new ArrayList<>();
            batch.onPrepareCommit(u -> jdbc.batchUpdate(INSERT, rows));
            return rows;
        });
    }

    /** The id in a payload field, or null when the field is absent or holds no UUID. */
    private static UUID uuid(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || !value.isString()) {
            return null;
        }
        try {
            return UUID.fromString(value.asString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
