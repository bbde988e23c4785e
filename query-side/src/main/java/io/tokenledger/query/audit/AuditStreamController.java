package io.tokenledger.query.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A token's or a user's history, read from the event store itself (upcast, in order, with who did what), and
 * a token's state at any instant, replayed with the same transitions the Token aggregate uses.
 */
@RestController
@RequestMapping("/api/audit")
class AuditStreamController {
    private final EventStore events;
    private final AuditEvents audit;
    private final JdbcTemplate jdbc;

    AuditStreamController(EventStore events, AuditEvents audit, JdbcTemplate jdbc) {
        this.events = events;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    @GetMapping("/tokens/{id}/events")
    List<AuditEvent> tokenEvents(@PathVariable UUID id) {
        List<AuditEvent> history = history(id.toString());
        if (history.isEmpty()) {
            throw CommandRejected.notFound("no token " + id);
        }
        return history;
    }

    /** The user's own events and those of every token they have had, in the store's global order. */
    @GetMapping("/users/{id}/events")
    List<AuditEvent> userEvents(@PathVariable UUID id) {
        List<AuditEvent> all = new ArrayList<>(history(id.toString()));
        if (all.isEmpty()) {
            throw CommandRejected.notFound("no user " + id);
        }
        for (UUID tokenId : jdbc.queryForList("SELECT id FROM token_view WHERE user_id = ?", UUID.class, id)) {
            all.addAll(history(tokenId.toString()));
        }
        all.sort(Comparator.comparing(AuditEvent::globalIndex));
        return all;
    }

    /** The token as it was at {@code at} (default: now); 404 if it did not exist yet. */
    @GetMapping("/tokens/{id}/state")
    ObjectNode tokenState(@PathVariable UUID id, @RequestParam(required = false) String at) {
        Instant given = AuditLogController.instant("at", at);
        Instant instant = given == null ? Instant.now() : given;
        TokenState state = null;
        long sequence = -1;
        for (DomainEventMessage<?> event : stream(id.toString())) {
            if (event.getTimestamp().isAfter(instant)) {
                break;
            }
            state = TokenState.evolve(state, event.getPayload());
            sequence = event.getSequenceNumber();
        }
        if (state == null) {
            throw CommandRejected.notFound("token " + id + " did not exist at " + instant);
        }
        ObjectNode view = (ObjectNode) audit.payload(state);
        view.put("status", state.statusAt(instant).name());
        view.put("at", instant.toString());
        view.put("sequence", sequence);
        return view;
    }

    private List<AuditEvent> history(String aggregateId) {
        List<DomainEventMessage<?>> stream = stream(aggregateId);
        if (stream.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> globalIndex = new HashMap<>();
        jdbc.query("SELECT sequence_number, global_index FROM domain_event_entry WHERE aggregate_identifier = ?",
                rs -> {
                    globalIndex.put(rs.getLong(1), rs.getLong(2));
                }, aggregateId);
        return stream.stream().map(e -> audit.of(e, globalIndex.get(e.getSequenceNumber()))).toList();
    }

    private List<DomainEventMessage<?>> stream(String aggregateId) {
        List<DomainEventMessage<?>> list = new ArrayList<>();
        events.readEvents(aggregateId, 0L).forEachRemaining(list::add);
        return list;
    }
}
