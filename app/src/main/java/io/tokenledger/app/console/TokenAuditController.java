package io.tokenledger.app.console;

import io.tokenledger.query.audit.AuditEvent;
import io.tokenledger.query.audit.AuditHistory;
import io.tokenledger.query.token.TokenQueries;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * A token's Audit page: its whole history from the event store as a timeline, newest first, and its state at
 * any instant the auditor picks (UTC, like every time in the console).
 */
@Controller
class TokenAuditController {
    private final AuditHistory history;
    private final TokenQueries tokens;
    private final Display display;
    private final Clock clock;

    TokenAuditController(AuditHistory history, TokenQueries tokens, Display display, Clock clock) {
        this.history = history;
        this.tokens = tokens;
        this.display = display;
        this.clock = clock;
    }

    @GetMapping("/access/tokens/{id}/audit")
    String audit(@PathVariable UUID id, @RequestParam(required = false) String at, Model model) {
        List<AuditEvent> events = history.token(id);
        if (events.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no token " + id + ".");
        }
        model.addAttribute("activeNav", "user-tokens");
        model.addAttribute("token", tokens.view(id).orElse(null));
        model.addAttribute("tokenId", id);
        model.addAttribute("addresses", tokens.addresses(id));
        List<TimelineEntry> entries = new ArrayList<>(events.stream().map(e -> TimelineEntry.of(e, display)).toList());
        Collections.reverse(entries);
        model.addAttribute("entries", entries);
        // Without a choice, the state is the current one; a chosen minute means its first instant.
        Instant instant = clock.instant();
        if (at != null && !at.isBlank()) {
            try {
                instant = LocalDateTime.parse(at.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                model.addAttribute("atError", "Enter a date and time such as 2026-01-31T09:30.");
            }
        }
        model.addAttribute("at", LocalDateTime.ofInstant(instant, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
                .toString());
        model.addAttribute("stateAt", history.tokenState(id, instant).orElse(null));
        return "token-audit";
    }
}
