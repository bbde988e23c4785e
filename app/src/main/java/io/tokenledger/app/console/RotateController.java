package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.command.token.CreatedToken;
import io.tokenledger.command.token.PermanentTokens;
import io.tokenledger.query.token.TokenQueries;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
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
 * Rotate in the console: administrators from any token table ({@code /access/tokens/…}), owners from their Profile
 * ({@code /profile/tokens/…}). The form says which expiry the new token gets (the old one's by default, or a chosen
 * date) and whether the old one keeps working for a grace period (none, an hour, a day, a week); the new secret is
 * shown once, in the dialog (with JavaScript) or on the page (without).
 */
@Controller
class RotateController {
    private final TokenQueries tokens;
    private final PermanentTokens permanentTokens;
    private final Clock clock;

    RotateController(TokenQueries tokens, PermanentTokens permanentTokens, Clock clock) {
        this.tokens = tokens;
        this.permanentTokens = permanentTokens;
        this.clock = clock;
    }

    /** The grace periods the form offers, as the API takes them, and how it names them; none comes first. */
    public static final Map<String, String> GRACE_PERIODS = grace();

    /** The rotate form. */
    public record RotateForm(String expiry, String expiresAt, String minExpiry, String gracePeriod,
                             Map<String, String> errors) {
    }

    private static Map<String, String> grace() {
        Map<String, String> periods = new java.util.LinkedHashMap<>();
        periods.put("", "None: revoke it now");
        periods.put("PT1H", "1 hour");
        periods.put("PT24H", "24 hours");
        periods.put("P7D", "7 days");
        return java.util.Collections.unmodifiableMap(periods);
    }

    /** Where the form posts back to: the owner's own paths on the Profile, else the administrators'. */
    @ModelAttribute("tokenActions")
    String tokenActions(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/profile/") ? "/profile/tokens" : "/access/tokens";
    }

    @GetMapping({"/access/tokens/{id}/rotate", "/profile/tokens/{id}/rotate"})
    String form(@PathVariable UUID id, @AuthenticationPrincipal Actor actor,
                @RequestParam(required = false) String back,
                @RequestHeader(name = "HX-Request", required = false) String htmx,
                @RequestHeader(name = HttpHeaders.REFERER, required = false) String referer, Model model) {
        TokenView token = rotatable(id, actor);
        return page(model, token, new RotateForm("keep", "", minExpiry(), "", Map.of()), htmx,
                ConfirmPage.back(back, referer, fallback(actor, token)));
    }

    @PostMapping({"/access/tokens/{id}/rotate", "/profile/tokens/{id}/rotate"})
    String rotate(@PathVariable UUID id, @AuthenticationPrincipal Actor actor,
                  @RequestParam(defaultValue = "keep") String expiry, @RequestParam(defaultValue = "") String expiresAt,
                  @RequestParam(defaultValue = "") String gracePeriod, @RequestParam(required = false) String back,
                  @RequestHeader(name = "HX-Request", required = false) String htmx, Model model,
                  HttpServletResponse response) {
        TokenView token = rotatable(id, actor);
        boolean keep = !"date".equals(expiry);
        String returnTo = ReturnPath.safe(back) == null ? fallback(actor, token) : ReturnPath.safe(back);
        if (!keep && expiresAt.isBlank()) {
            refused(response, htmx);
            return page(model, token, new RotateForm("date", expiresAt, minExpiry(), gracePeriod,
                    Map.of("expiresAt", "is required when you choose a date")), htmx, returnTo);
        }
        CreatedToken created;
        try {
            created = permanentTokens.rotate(new TokenId(id), keep ? token.expiresAt().toString() : expiresAt, null,
                    gracePeriod, actor);
        } catch (CommandRejected e) {
            if (e.reason() != CommandRejected.Reason.INVALID) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
            }
            refused(response, htmx);
            return page(model, token, new RotateForm(keep ? "keep" : "date", expiresAt, minExpiry(), gracePeriod,
                    Map.of(e.field() == null ? "expiresAt" : e.field(), e.getMessage())), htmx, returnTo);
        }
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        model.addAttribute("created", created);
        model.addAttribute("graceEndsAt", tokens.view(id).map(TokenView::graceEndsAt).orElse(null));
        model.addAttribute("back", returnTo);
        if (htmx != null) {
            // The token tables of the page reload themselves on this event.
            response.setHeader("HX-Trigger", "tokens-changed");
            return "fragments :: rotated(created=${created})";
        }
        model.addAttribute("what", "rotated");
        return "confirm";
    }

    /** A refused form answers 422 to a plain form; htmx, which swaps only a success, gets the form with 200. */
    private static void refused(HttpServletResponse response, String htmx) {
        if (htmx == null) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        }
    }

    private String page(Model model, TokenView token, RotateForm form, String htmx, String back) {
        model.addAttribute("token", token);
        model.addAttribute("rotate", form);
        model.addAttribute("gracePeriods", GRACE_PERIODS);
        model.addAttribute("back", back);
        if (htmx != null) {
            return "fragments :: rotate-form(token=${token},rotate=${rotate})";
        }
        model.addAttribute("what", "rotate");
        return "confirm";
    }

    /** An active permanent token the actor may rotate: an administrator any, a user their own. */
    private TokenView rotatable(UUID id, Actor actor) {
        TokenView token = tokens.view(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (!actor.isAdmin() && !actor.userId().value().toString().equals(token.userId())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        if (token.kind() != TokenKind.PERMANENT || token.status() != TokenStatus.ACTIVE) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "Only an active permanent token can be rotated; this one is "
                            + token.status().name().toLowerCase() + ".");
        }
        return token;
    }

    private static String fallback(Actor actor, TokenView token) {
        return actor.isAdmin() && !actor.userId().value().toString().equals(token.userId()) ? "/access/tokens"
                : "/profile";
    }

    private String minExpiry() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1).toString();
    }
}
