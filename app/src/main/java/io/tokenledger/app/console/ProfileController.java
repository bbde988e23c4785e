package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.app.security.Logins;
import io.tokenledger.command.token.CreatedToken;
import io.tokenledger.command.token.PermanentTokens;
import io.tokenledger.query.token.TokenQueries;
import io.tokenledger.query.user.UserQueries;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The Profile page: who you are, the session's Temporary API Token, your API Tokens and (admins) Create Token. */
@Controller
class ProfileController {
    private final UserQueries users;
    private final TokenQueries tokens;
    private final PermanentTokens permanentTokens;

    ProfileController(UserQueries users, TokenQueries tokens, PermanentTokens permanentTokens) {
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

    @GetMapping("/profile/tokens/new")
    String createForm(Model model) {
        model.addAttribute("form", TokenForm.empty());
        return "profile :: create-form";
    }

    @PostMapping("/profile/tokens")
    String create(@AuthenticationPrincipal Actor actor, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "") String expiresAt, Model model, HttpServletResponse response) {
        TokenForm form = new TokenForm(name, expiresAt, java.util.Map.of());
        try {
            CreatedToken created = permanentTokens.create(actor.userId(), name, expiresAt, actor);
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            // The table behind the dialog reloads itself on this event.
            response.setHeader("HX-Trigger", "tokens-changed");
            model.addAttribute("created", created);
            return "profile :: created";
        } catch (CommandRejected e) {
            model.addAttribute("form", form.refusedBy(e));
            return "profile :: create-form";
        }
    }

    private Object ownTokens(Actor actor) {
        return tokens.list(new TokenQueries.Filter(null, actor.userId().value(), TokenKind.PERMANENT, null, null),
                PageRequest.of(0, 200)).items();
    }
}
