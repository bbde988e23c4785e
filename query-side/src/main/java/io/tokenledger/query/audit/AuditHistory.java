package io.tokenledger.query.audit;

import io.tokenledger.api.token.TokenState;
import io.tokenledger.api.token.TokenStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A token's or a user's history, read from the event store itself (upcast, in order, with who did what), and
 * a token's state at any instant, replayed with the same transitions the Token aggregate uses. The audit API
 * and the console's timeline both read it here.
 */
@Component
public class AuditHistory {
    private final EventStore events;
    private final AuditEvents audit;
    private final JdbcTemplate jdbc;

    AuditHistory(EventStore events, AuditEvents audit, JdbcTemplate jdbc) {
        this.events = events;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    /** A token as it was at an instant: its state, its status as a read then shows it, and its last event. */
    public record StateAt(TokenState state, TokenStatus status, Instant at, long sequence) {
    }

    /** Every event of a token, oldest first; empty if there is no such token. */
    public List<AuditEvent> token(UUID tokenId) {
        return history(tokenId.toString());
    }

    /** The user's own events and those of every token they have had, in the store's global order. */
    public List<AuditEvent> user(UUID userId) {
        List<AuditEvent> all = new ArrayList<>(history(userId.toString()));
        if (all.isEmpty()) {
            return all;
        }
        for (UUID tokenId : jdbc.queryForList("SELECT id FROM token_view WHERE user_id = ?", UUID.class, userId)) {
            all.addAll(history(tokenId.toString()));
        }
        all.sort(Comparator.comparing(AuditEvent::globalIndex));
        return all;
    }

    /** The token as it was at {@code at}; empty if it did not exist yet. */
    public Optional<StateAt> tokenState(UUID tokenId, Instant at) {
        TokenState state = null;
        long sequence = -1;
        for (DomainEventMessage<?> event : stream(tokenId.toString())) {
            if (event.getTimestamp().isAfter(at)) {
                break;
            }
            state = TokenState.evolve(state, event.getPayload());
            sequence = event.getSequenceNumber();
        }
        return state == null ? Optional.empty() : Optional.of(new StateAt(state, state.statusAt(at), at, sequence));
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
