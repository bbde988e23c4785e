package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSelection;
import io.tokenledger.command.bulk.BulkRevokeJobs;
import io.tokenledger.command.bulk.BulkRevokes;
import io.tokenledger.query.user.UserQueries;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * User Tokens → Bulk revoke: a filter, its preview (how many active tokens it matches and some of them, nothing
 * changed), a confirmation that says how many will be revoked and asks why, and the job's progress page.
 */
@Controller
class BulkRevokeConsoleController {
    private final BulkRevokes bulk;
    private final BulkRevokeJobs jobs;
    private final UserQueries users;

    BulkRevokeConsoleController(BulkRevokes bulk, BulkRevokeJobs jobs, UserQueries users) {
        this.bulk = bulk;
        this.jobs = jobs;
        this.users = users;
    }

    /** The filter as the form sends it: text fields, blank meaning "any". */
    record Filter(String userId, String kind, String scope, String tag, String q, String createdBefore,
                  String unusedForDays) {

        /** The selection, or a refusal naming the field the form got wrong. */
        TokenSelection selection() {
            return new TokenSelection(id(userId), kind(kind), scope, tag, q, date(createdBefore), days(unusedForDays));
        }

        private static UUID id(String text) {
            try {
                return blank(text) ? null : UUID.fromString(text.strip());
            } catch (IllegalArgumentException e) {
                throw CommandRejected.invalid("userId", "choose a user from the list");
            }
        }

        private static TokenKind kind(String text) {
            try {
                return blank(text) ? null : TokenKind.valueOf(text.strip());
            } catch (IllegalArgumentException e) {
                throw CommandRejected.invalid("kind", "choose a kind from the list");
            }
        }

        private static Instant date(String text) {
            try {
                return blank(text) ? null : LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw CommandRejected.invalid("createdBefore", "enter a date such as 2026-01-31");
            }
        }

        private static Integer days(String text) {
            try {
                return blank(text) ? null : Integer.valueOf(text.strip());
            } catch (NumberFormatException e) {
                throw CommandRejected.invalid("unusedForDays", "enter a number of days");
            }
        }

        private static boolean blank(String text) {
            return text == null || text.isBlank();
        }
    }

    /** The preview: the filter again, how many active tokens match, and up to 50 of them. */
    @GetMapping("/access/tokens/bulk-revoke")
    String preview(@ModelAttribute("filter") Filter filter, @AuthenticationPrincipal Actor actor, Model model) {
        return page(filter, actor, false, model);
    }

    /** The confirmation as a page of its own, for a browser without JavaScript (with it, a dialog asks the same). */
    @GetMapping("/access/tokens/bulk-revoke/confirm")
    String confirm(@ModelAttribute("filter") Filter filter, @AuthenticationPrincipal Actor actor, Model model) {
        return page(filter, actor, true, model);
    }

    /** Starts the job and shows its progress; a refusal shows the preview again with what was wrong. */
    @PostMapping("/access/tokens/bulk-revoke")
    String start(@ModelAttribute("filter") Filter filter, @RequestParam(required = false) String reason,
                 @AuthenticationPrincipal Actor actor, Model model) {
        requireAdmin(actor);
        try {
            UUID job = bulk.start(filter.selection(), reason, actor);
            return "redirect:/access/jobs/" + job;
        } catch (CommandRejected e) {
            if (e.reason() != CommandRejected.Reason.INVALID) {
                throw e;
            }
            model.addAttribute("reasonError", "reason".equals(e.field()) ? e.getMessage() : null);
            model.addAttribute("reason", reason);
            return page(filter, actor, true, model);
        }
    }

    /** A job's progress; htmx asks for the progress again while the job runs. */
    @GetMapping("/access/jobs/{id}")
    String job(@PathVariable UUID id, @RequestHeader(name = "HX-Request", required = false) String htmx,
               Model model) {
        model.addAttribute("job", jobs.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "There is no job " + id + ".")));
        model.addAttribute("activeNav", "user-tokens");
        return htmx != null ? "bulk-revoke-job :: progress" : "bulk-revoke-job";
    }

    private String page(Filter filter, Actor actor, boolean confirming, Model model) {
        requireAdmin(actor);
        model.addAttribute("activeNav", "user-tokens");
        model.addAttribute("users", users.choices(chosenUser(filter.userId())));
        model.addAttribute("kinds", TokenKind.values());
        model.addAttribute("confirming", confirming);
        try {
            BulkRevokes.BulkRevokePreview preview = bulk.preview(filter.selection(), actor);
            model.addAttribute("preview", preview);
        } catch (CommandRejected e) {
            if (e.reason() != CommandRejected.Reason.INVALID) {
                throw e;
            }
            model.addAttribute("filterError", e.getMessage());
            model.addAttribute("filterField", e.field());
        }
        return "bulk-revoke";
    }

    private static void requireAdmin(Actor actor) {
        if (!actor.isAdmin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only administrators revoke tokens in bulk.");
        }
    }

    /** The user a filter names, if it names one by a well-formed id. */
    private static UUID chosenUser(String userId) {
        try {
            return userId == null || userId.isBlank() ? null : UUID.fromString(userId.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
