package io.tokenledger.query.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.CommandRejected;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/** A token's or a user's history and a token's state at any instant, over HTTP (see {@link AuditHistory}). */
@Tag(name = "Audit")
@RestController
@RequestMapping("/api/audit")
class AuditStreamController {
    private final AuditHistory history;
    private final AuditEvents audit;

    AuditStreamController(AuditHistory history, AuditEvents audit) {
        this.history = history;
        this.audit = audit;
    }

    @Operation(operationId = "listTokenEvents", summary = "A token's events, oldest first (admins, auditors)")
    @GetMapping("/tokens/{id}/events")
    List<AuditEvent> tokenEvents(@PathVariable UUID id) {
        List<AuditEvent> events = history.token(id);
        if (events.isEmpty()) {
            throw CommandRejected.notFound("no token " + id);
        }
        return events;
    }

    /** The user's own events and those of every token they have had, in the store's global order. */
    @Operation(operationId = "listUserEvents", summary = "A user's events, oldest first (admins, auditors)")
    @GetMapping("/users/{id}/events")
    List<AuditEvent> userEvents(@PathVariable UUID id) {
        List<AuditEvent> events = history.user(id);
        if (events.isEmpty()) {
            throw CommandRejected.notFound("no user " + id);
        }
        return events;
    }

    /** The token as it was at {@code at} (default: now); 404 if it did not exist yet. */
    @Operation(operationId = "getTokenStateAt", summary = "A token's state as it was at an instant, rebuilt from its events (admins, auditors)")
    @GetMapping("/tokens/{id}/state")
    ObjectNode tokenState(@PathVariable UUID id, @RequestParam(required = false) @Size(max = 64) String at) {
        Instant given = AuditLogController.instant("at", at);
        Instant instant = given == null ? Instant.now() : given;
        AuditHistory.StateAt state = history.tokenState(id, instant).orElseThrow(
                () -> CommandRejected.notFound("token " + id + " did not exist at " + instant));
        ObjectNode view = (ObjectNode) audit.payload(state.state());
        view.put("status", state.status().name());
        view.put("at", instant.toString());
        view.put("sequence", state.sequence());
        return view;
    }
}
