package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.app.security.Logins;
import io.tokenledger.command.token.CreatedToken;
import io.tokenledger.command.token.PermanentTokens;
import io.tokenledger.query.scope.ScopeQueries;
import io.tokenledger.query.token.TokenQueries;
import io.tokenledger.query.user.UserQueries;
import io.tokenledger.app.security.LoginThrottle;
import io.tokenledger.command.user.PasswordPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenView;
import java.util.List;
import java.util.UUID;

/**
 * The Profile page: who you are, the session's Temporary API Token, your API Tokens and (admins) Create Token; and
 * the form that changes your password.
 */
@Controller
class ProfileController {
    private final UserQueries users;
    private final TokenQueries tokens;
    private final PermanentTokens permanentTokens;
    private final Logins logins;
    private final ScopeQueries scopes;

    ProfileController(UserQueries users, TokenQueries tokens, PermanentTokens permanentTokens, Logins logins,
                      ScopeQueries scopes) {
        this.logins = logins;
        this.scopes = scopes;
        this.users = users;
        this.tokens = tokens;
        this.permanentTokens = permanentTokens;
    }

    @GetMapping("/profile")
    String profile(@AuthenticationPrincipal Actor actor, Model model, HttpServletResponse response) {
        // The page carries the session's token in clear: never keep it in a cache.
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        model.addAttribute("profile", users.profile(actor));
        model.addAttribute("temporaryToken", Logins.sessionSecret().map(TokenSecret::reveal).orElse(null));
        model.addAttribute("tokens", ownTokens(actor));
        return "profile";
    }

    @GetMapping("/profile/tokens")
    String tokenTable(@AuthenticationPrincipal Actor actor, Model model) {
        model.addAttribute("tokens", ownTokens(actor));
        return "profile :: api-tokens";
    }

    /** Create Token's form: into the dialog (htmx), or the Profile with the form on it (without JavaScript). */
    @GetMapping("/profile/tokens/new")
    String createForm(@AuthenticationPrincipal Actor actor,
                      @RequestHeader(name = "HX-Request", required = false) String htmx, Model model,
                      HttpServletResponse response) {
        model.addAttribute("form", TokenForm.empty());
        model.addAttribute("scopeChoices", scopes.all());
        if (htmx == null) {
            return plainPage(actor, model, response);
        }
        return "profile :: create-form";
    }

    /**
     * Creates one of one's own tokens with the scopes ticked; the secret is shown this once, in the dialog (htmx) or
     * on the Profile (a plain form). A refused form comes back with the reasons next to its fields.
     */
    @PostMapping("/profile/tokens")
    String create(@AuthenticationPrincipal Actor actor, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "") String expiresAt,
                  @RequestParam(required = false) List<String> scopes,
                  @RequestParam(required = false) String scopesChosen,
                  @RequestHeader(name = "HX-Request", required = false) String htmx, Model model,
                  HttpServletResponse response) {
        List<String> requested = TokenForm.posted(scopes, scopesChosen);
        TokenForm form = new TokenForm(name, expiresAt, requested, Map.of());
        try {
            CreatedToken created = permanentTokens.create(actor.userId(), name, expiresAt, requested, actor);
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            model.addAttribute("created", created);
            if (htmx == null) {
                return plainPage(actor, model, response);
            }
            // The table behind the dialog reloads itself on this event.
            response.setHeader("HX-Trigger", "tokens-changed");
            return "profile :: created";
        } catch (CommandRejected e) {
            model.addAttribute("form", form.refusedBy(e));
            model.addAttribute("scopeChoices", this.scopes.all());
            if (htmx == null) {
                response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
                return plainPage(actor, model, response);
            }
            return "profile :: create-form";
        }
    }

    /** The Profile with Create Token's form or the new token on the page itself, for a browser without JavaScript. */
    private String plainPage(Actor actor, Model model, HttpServletResponse response) {
        model.addAttribute("plainCreate", true);
        model.addAttribute("pagePath", "/profile");
        return profile(actor, model, response);
    }

    /** Whether Create Token is part of the page (no JavaScript) rather than in its dialog. */
    @ModelAttribute("plainCreate")
    boolean plainCreate() {
        return false;
    }

    /** The confirmation page of Revoke of one's own token, for a browser without JavaScript. */
    @GetMapping("/profile/tokens/{id}/revoke")
    String confirmRevoke(@PathVariable UUID id, @AuthenticationPrincipal Actor actor, Model model) {
        return ConfirmPage.revoke(model, own(id, actor), actor, "/profile/tokens/" + id + "/revoke", "/profile");
    }

    /** Revokes one of one's own tokens, with the optional reason: htmx gets the row, a plain form the Profile. */
    @PostMapping("/profile/tokens/{id}/revoke")
    String revoke(@PathVariable UUID id, @AuthenticationPrincipal Actor actor,
                  @RequestParam(required = false) String reason,
                  @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        own(id, actor);
        TokenView revoked;
        try {
            revoked = permanentTokens.revoke(new TokenId(id), reason, actor);
        } catch (CommandRejected e) {
            throw new ResponseStatusException(e.reason() == CommandRejected.Reason.INVALID ? HttpStatus.BAD_REQUEST
                    : HttpStatus.NOT_FOUND, e.getMessage());
        }
        if (htmx == null) {
            return "redirect:/profile?revoked";
        }
        model.addAttribute("t", revoked);
        return "fragments :: token-row(t=${t},showUser=false,canRevoke=true)";
    }

    /** The form of one's own token's description and tags. */
    @GetMapping("/profile/tokens/{id}/labels")
    String labels(@PathVariable UUID id, @AuthenticationPrincipal Actor actor, Model model) {
        model.addAttribute("token", own(id, actor));
        return "token-labels";
    }

    /**
     * Changes one's own token's description and tags (separated by spaces or commas; empty fields clear them):
     * back to the Profile, or the form again with what was wrong.
     */
    @PostMapping("/profile/tokens/{id}/labels")
    String describe(@PathVariable UUID id, @AuthenticationPrincipal Actor actor,
                    @RequestParam(defaultValue = "") String description, @RequestParam(defaultValue = "") String tags,
                    Model model, HttpServletResponse response) {
        TokenView token = own(id, actor);
        try {
            permanentTokens.describe(new TokenId(id), description, List.of(tags.split("[\\s,]+")).stream()
                    .filter(tag -> !tag.isBlank()).toList(), actor);
            return "redirect:/profile?labelled";
        } catch (CommandRejected e) {
            if (e.reason() == CommandRejected.Reason.NOT_FOUND) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("token", token);
            model.addAttribute("labelsError", e.getMessage());
            model.addAttribute("labelsField", e.field());
            model.addAttribute("description", description);
            model.addAttribute("tags", tags);
            return "token-labels";
        }
    }

    private TokenView own(UUID id, Actor actor) {
        return tokens.view(id).filter(t -> t.userId().equals(actor.userId().value().toString()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    /** Where the Profile's token rows send Revoke and Rotate: the owner's own paths. */
    @ModelAttribute("tokenActions")
    String tokenActions() {
        return "/profile/tokens";
    }

    /** The form of one's own password: current and new. */
    @GetMapping(PasswordChangeFirst.PASSWORD_PAGE)
    String passwordForm(@AuthenticationPrincipal Actor actor, Model model) {
        return passwordPage(actor, model, Map.of());
    }

    /** Changes one's own password; the other login sessions end, this one goes on. */
    @PostMapping(PasswordChangeFirst.PASSWORD_PAGE)
    String changePassword(@AuthenticationPrincipal Actor actor,
                          @RequestParam(defaultValue = "") String currentPassword,
                          @RequestParam(defaultValue = "") String newPassword,
                          HttpServletRequest request, HttpServletResponse response, Model model) {
        try {
            logins.changeOwnPassword(actor, currentPassword, newPassword, request.getRemoteAddr());
            return "redirect:/profile?passwordChanged";
        } catch (CommandRejected e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return passwordPage(actor, model, Map.of(e.field() == null ? "newPassword" : e.field(), e.getMessage()));
        } catch (LoginThrottle.TooManyAttempts e) {
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            return passwordPage(actor, model, Map.of("currentPassword",
                    "too many wrong passwords; try again in " + e.retryAfterSeconds() + " seconds"));
        }
    }

    private String passwordPage(Actor actor, Model model, Map<String, String> errors) {
        model.addAttribute("profile", users.profile(actor));
        model.addAttribute("errors", errors);
        model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
        model.addAttribute("maxLength", PasswordPolicy.MAX_LENGTH);
        return "password";
    }

    private Object ownTokens(Actor actor) {
        return tokens.list(new TokenQueries.Filter(null, actor.userId().value(), TokenKind.PERMANENT, null, null),
                PageRequest.of(0, 200)).items();
    }
}
