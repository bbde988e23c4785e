package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.command.token.PermanentTokens;
import io.tokenledger.query.token.TokenQueries;
import io.tokenledger.query.user.UserQueries;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Access Control → User Tokens: every token, filtered and searched, a page at a time, revocable, with rows kept live. */
@Controller
class UserTokensController {
    private final TokenQueries tokens;
    private final UserQueries users;
    private final PermanentTokens permanentTokens;
    private final Clock clock;
    private final int pageSize;

    UserTokensController(TokenQueries tokens, UserQueries users, PermanentTokens permanentTokens, Clock clock,
                         TokenLedgerProperties properties) {
        this.pageSize = properties.console().pageSize();
        this.tokens = tokens;
        this.users = users;
        this.permanentTokens = permanentTokens;
        this.clock = clock;
    }

    @GetMapping("/access/tokens")
    String list(@RequestParam(required = false) String status, @RequestParam(required = false) String kind,
                @RequestParam(required = false) String userId, @RequestParam(required = false) String q,
                @RequestParam(required = false) Integer expiringWithinDays,
                @RequestParam(defaultValue = "0") int page, @RequestParam(required = false) String sort,
                @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        TokenStatus chosenStatus = parse(status, TokenStatus.class);
        // Permanent tokens unless the filter asks otherwise: login sessions are a kind of their own, and an empty
        // kind (the filter's "Any kind") is both.
        TokenKind chosenKind = kind == null ? TokenKind.PERMANENT : parse(kind, TokenKind.class);
        UUID chosenUser = parseId(userId);
        // The Dashboard's "expiring within 7 / 30 days" figures link here with their window.
        Integer within = expiringWithinDays == null || expiringWithinDays < 1 || expiringWithinDays > 3650 ? null
                : expiringWithinDays;
        Sorting sorting = Sorting.of(sort, TokenQueries.SORTABLE.keySet());
        PageResult<TokenView> result = tokens.list(
                new TokenQueries.Filter(chosenStatus, chosenUser, chosenKind, q,
                        within == null ? null : clock.instant().plus(Duration.ofDays(within))),
                PageRequest.of(Math.max(0, page), pageSize, sorting.sort(TokenQueries.SORTABLE, Sort.unsorted())));
        model.addAttribute("sorting", sorting);
        model.addAttribute("expiringWithinDays", within);
        model.addAttribute("tokens", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("kindNoun", kindNoun(chosenKind, result.total()));
        if (htmx != null) {
            return "user-tokens :: table";
        }
        model.addAttribute("activeNav", "user-tokens");
        model.addAttribute("statuses", TokenStatus.values());
        model.addAttribute("users", users.choices(chosenUser));
        model.addAttribute("kinds", TokenKind.values());
        model.addAttribute("status", chosenStatus == null ? "" : chosenStatus.name());
        model.addAttribute("kind", chosenKind == null ? "" : chosenKind.name());
        model.addAttribute("userId", chosenUser == null ? "" : chosenUser.toString());
        model.addAttribute("q", q == null ? "" : q);
        return "user-tokens";
    }

    @GetMapping("/access/tokens/{id}/row")
    String row(@PathVariable UUID id, @RequestParam(defaultValue = "true") boolean user,
               @RequestParam(defaultValue = "true") boolean revoke, @AuthenticationPrincipal Actor actor,
               Model model) {
        return row(tokens.view(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)), user,
                revoke && actor.isAdmin(), model);
    }

    /**
     * The confirmation page of Revoke, for a browser without JavaScript (with it, the same questions come in a
     * dialog): the optional reason, and whether the token is the login session of this very page.
     */
    @GetMapping("/access/tokens/{id}/revoke")
    String confirmRevoke(@PathVariable UUID id, @AuthenticationPrincipal Actor actor,
                         @RequestParam(required = false) String back,
                         @RequestHeader(name = HttpHeaders.REFERER, required = false) String referer, Model model) {
        if (!actor.isAdmin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only administrators revoke other users' tokens.");
        }
        TokenView token = tokens.view(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return ConfirmPage.revoke(model, token, actor, "/access/tokens/" + id + "/revoke",
                ConfirmPage.back(back, referer, "/access/tokens"));
    }

    /**
     * Revokes a token with the optional reason: htmx gets the row as it is now, a plain form is sent back to the
     * page it came from with a notice.
     */
    @PostMapping("/access/tokens/{id}/revoke")
    String revoke(@PathVariable UUID id, @RequestParam(defaultValue = "true") boolean user,
                  @RequestParam(required = false) String reason, @RequestParam(required = false) String back,
                  @RequestHeader(name = "HX-Request", required = false) String htmx,
                  @AuthenticationPrincipal Actor actor, Model model) {
        TokenView revoked;
        try {
            revoked = permanentTokens.revoke(new TokenId(id), reason, actor);
        } catch (CommandRejected e) {
            if (e.reason() == CommandRejected.Reason.INVALID) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            }
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        if (htmx == null) {
            return ConfirmPage.redirect(back, "/access/tokens", "revoked");
        }
        return row(revoked, user, true, model);
    }

    /**
     * The token page's Description and tags form (admins): tags separated by spaces or commas, an empty field
     * clearing them. Back to the token page, with what was wrong if the change was refused.
     */
    @PostMapping("/access/tokens/{id}/labels")
    String describe(@PathVariable UUID id, @RequestParam(defaultValue = "") String description,
                    @RequestParam(defaultValue = "") String tags, @AuthenticationPrincipal Actor actor,
                    RedirectAttributes redirect) {
        try {
            permanentTokens.describe(new TokenId(id), description, List.of(tags.split("[\\s,]+")).stream()
                    .filter(tag -> !tag.isBlank()).toList(), actor);
            redirect.addAttribute("labelled", "");
        } catch (CommandRejected e) {
            if (e.reason() == CommandRejected.Reason.NOT_FOUND) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
            redirect.addFlashAttribute("labelsError", e.getMessage());
            redirect.addFlashAttribute("labelsField", e.field());
            redirect.addFlashAttribute("description", description);
            redirect.addFlashAttribute("tags", tags);
        }
        return "redirect:/access/tokens/" + id + "/audit";
    }

    private static String row(Object token, boolean showUser, boolean canRevoke, Model model) {
        model.addAttribute("t", token);
        model.addAttribute("showUser", showUser);
        model.addAttribute("canRevoke", canRevoke);
        return "fragments :: token-row(t=${t},showUser=${showUser},canRevoke=${canRevoke})";
    }

    /** What a list of this kind counts: "permanent tokens", "login sessions", or tokens of either kind. */
    static String kindNoun(TokenKind kind, long count) {
        String noun = kind == null ? "token" : kind == TokenKind.PERMANENT ? "permanent token" : "login session";
        return (count == 1 ? noun : noun + "s") + (kind == null ? " of either kind" : "");
    }

    /** A filter's user id; anything that is not one means "any user", as an unknown status does. */
    private static UUID parseId(String value) {
        try {
            return value == null || value.isBlank() ? null : UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> E parse(String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
