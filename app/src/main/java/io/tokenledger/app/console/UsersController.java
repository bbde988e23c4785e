package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.user.ChangeUserRole;
import io.tokenledger.api.user.DisableUser;
import io.tokenledger.api.user.EnableUser;
import io.tokenledger.api.user.FindUser;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserKind;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserSummary;
import io.tokenledger.command.token.CreatedToken;
import io.tokenledger.command.token.PermanentTokens;
import io.tokenledger.command.user.NewUser;
import io.tokenledger.command.user.PasswordPolicy;
import io.tokenledger.command.user.User;
import io.tokenledger.command.user.UserAccounts;
import io.tokenledger.query.scope.ScopeQueries;
import io.tokenledger.query.token.TokenQueries;
import io.tokenledger.query.user.UserQueries;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
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

/**
 * Administrator → Users: the list with Add, and a user's page with the Tokens tab, Add, revoke, disable/enable and
 * a new password.
 */
@Controller
class UsersController {
    private final UserQueries users;
    private final TokenQueries tokens;
    private final UserAccounts accounts;
    private final PermanentTokens permanentTokens;
    private final CommandGateway commands;
    private final Validator validator;
    private final ScopeQueries scopes;

    UsersController(UserQueries users, TokenQueries tokens, UserAccounts accounts, PermanentTokens permanentTokens,
                    CommandGateway commands, Validator validator, ScopeQueries scopes) {
        this.scopes = scopes;
        this.users = users;
        this.tokens = tokens;
        this.accounts = accounts;
        this.permanentTokens = permanentTokens;
        this.commands = commands;
        this.validator = validator;
    }

    /** The Add user form as entered, with its refusals by field. */
    public record UserForm(String username, String email, String displayName, String role, String kind,
                           Map<String, String> errors) {
        static UserForm empty() {
            return new UserForm("", "", "", Role.USER.name(), UserKind.PERSON.name(), Map.of());
        }
    }

    @GetMapping("/admin/users")
    String list(@RequestParam(required = false) String sort, @RequestParam(required = false) String q, Model model) {
        return page(model, UserForm.empty(), sort, q);
    }

    @PostMapping("/admin/users")
    String add(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String email,
               @RequestParam(defaultValue = "") String displayName, @RequestParam(defaultValue = "USER") String role,
               @RequestParam(defaultValue = "") String password,
               @RequestParam(defaultValue = "PERSON") String kind, Model model, HttpServletResponse response) {
        Role chosen = Role.USER;
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            chosen = Role.valueOf(role);
        } catch (IllegalArgumentException e) {
            errors.put("role", "must be one of Admin, Auditor, User");
        }
        UserKind chosenKind = UserKind.PERSON;
        try {
            chosenKind = UserKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            errors.put("kind", "must be Person or Service account");
        }
        // A service account has no password: the form's empty field means none.
        String given = chosenKind == UserKind.SERVICE_ACCOUNT && password.isEmpty() ? null : password;
        NewUser user = new NewUser(username.strip(), email.strip(), displayName, chosen, given, chosenKind);
        for (ConstraintViolation<NewUser> v : validator.validate(user)) {
            errors.putIfAbsent(v.getPropertyPath().toString(), v.getMessage());
        }
        if (errors.isEmpty()) {
            try {
                UserId id = accounts.register(user);
                return "redirect:/admin/users/" + id + "?added";
            } catch (CommandRejected e) {
                errors.put(e.field() == null ? "username" : e.field(), e.getMessage());
            }
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return page(model, new UserForm(username, email, displayName, role, kind, errors), null);
    }

    private String page(Model model, UserForm form, String sort) {
        return page(model, form, sort, null);
    }

    /** The Users page: the users whose username contains {@code q} (all of them when it is blank), sorted. */
    private String page(Model model, UserForm form, String sort, String q) {
        model.addAttribute("activeNav", "users");
        Sorting sorting = Sorting.of(sort, UserQueries.SORTABLE.keySet());
        model.addAttribute("sorting", sorting);
        String fragment = q == null ? "" : q.strip();
        model.addAttribute("q", fragment);
        model.addAttribute("users", users.list(fragment.length() > 100 ? fragment.substring(0, 100) : fragment,
                PageRequest.of(0, 200, sorting.sort(UserQueries.SORTABLE, Sort.by("username")))).items());
        model.addAttribute("form", form);
        model.addAttribute("roles", Role.values());
        model.addAttribute("kinds", UserKind.values());
        return "users";
    }

    @GetMapping("/admin/users/{id}")
    String user(@PathVariable UUID id, @RequestParam(required = false) String tab, Model model) {
        return userPage(id, model, Map.of(), tab);
    }

    private String userPage(UUID id, Model model, Map<String, String> passwordErrors) {
        return userPage(id, model, passwordErrors, null);
    }

    /** The user's page, its Tokens tab on permanent tokens or (tab=sessions) on login sessions. */
    private String userPage(UUID id, Model model, Map<String, String> passwordErrors, String tab) {
        model.addAttribute("activeNav", "users");
        UserSummary user = find(id);
        model.addAttribute("user", user);
        model.addAttribute("sessionsTab", "sessions".equals(tab));
        model.addAttribute("tokens", userTokens(id, tab));
        // where a row's Revoke or Rotate page returns to, also from the answer to a form posted here
        model.addAttribute("pagePath", "/admin/users/" + id + ("sessions".equals(tab) ? "?tab=sessions" : ""));
        model.addAttribute("roles", Role.values());
        confirmation(user, model);
        model.addAttribute("passwordErrors", passwordErrors);
        model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
        return "user";
    }

    /** Sets the user's password (ADMIN); all their login sessions end. */
    @PostMapping("/admin/users/{id}/password")
    String resetPassword(@PathVariable UUID id, @AuthenticationPrincipal Actor actor,
                         @RequestParam(defaultValue = "") String newPassword, Model model,
                         HttpServletResponse response) {
        UserSummary user = find(id);
        try {
            accounts.resetPassword(new UserId(id), user.username(), newPassword, actor.userId());
            return "redirect:/admin/users/" + id + "?passwordReset";
        } catch (CommandRejected e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return userPage(id, model, Map.of("newPassword", e.getMessage()));
        }
    }

    /**
     * Changes the user's role (ADMIN). Refusals are said on the page: the last active administrator cannot be
     * demoted (409 last-admin), nor can administrators take the role away from themselves.
     */
    @PostMapping("/admin/users/{id}/role")
    String changeRole(@PathVariable UUID id, @AuthenticationPrincipal Actor actor,
                      @RequestParam(defaultValue = "") String role, Model model, HttpServletResponse response) {
        Role chosen;
        try {
            chosen = Role.valueOf(role);
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            model.addAttribute("roleError", "Role must be one of Admin, Auditor, User.");
            return userPage(id, model, Map.of());
        }
        try {
            commands.sendAndWait(new ChangeUserRole(new UserId(id), chosen, actor.userId()));
            return "redirect:/admin/users/" + id + "?roleChanged";
        } catch (CommandRejected e) {
            if (e.reason() != CommandRejected.Reason.CONFLICT) {
                throw e;
            }
            response.setStatus(HttpStatus.CONFLICT.value());
            model.addAttribute("roleError", e.problem() != null && e.problem().equals(User.LAST_ADMIN)
                    ? "This is the last active administrator: the role stays Admin. Make another user an"
                            + " administrator first."
                    : "The role was not changed: " + e.getMessage() + ".");
            return userPage(id, model, Map.of());
        }
    }

    @GetMapping("/admin/users/{id}/tokens")
    String tokenTable(@PathVariable UUID id, @RequestParam(required = false) String tab, Model model) {
        model.addAttribute("user", find(id));
        model.addAttribute("sessionsTab", "sessions".equals(tab));
        model.addAttribute("tokens", userTokens(id, tab));
        return "user :: tokens";
    }

    /** Add's form: into the Tokens tab's pane (htmx), or the user's page with the form on it (without JavaScript). */
    @GetMapping("/admin/users/{id}/tokens/new")
    String createForm(@PathVariable UUID id, @RequestHeader(name = "HX-Request", required = false) String htmx,
                      Model model) {
        model.addAttribute("user", find(id));
        model.addAttribute("form", TokenForm.empty());
        model.addAttribute("scopeChoices", scopes.all());
        return htmx == null ? userPage(id, model, Map.of()) : "user :: create-form";
    }

    /**
     * Creates a token for the user with the scopes ticked; the secret is shown this once, in the pane (htmx) or on
     * the user's page (a plain form). A refused form comes back with the reasons next to its fields.
     */
    @PostMapping("/admin/users/{id}/tokens")
    String create(@PathVariable UUID id, @AuthenticationPrincipal Actor actor,
                  @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String expiresAt,
                  @RequestParam(required = false) List<String> scopes,
                  @RequestParam(required = false) String scopesChosen,
                  @RequestHeader(name = "HX-Request", required = false) String htmx,
                  Model model, HttpServletResponse response) {
        model.addAttribute("user", find(id));
        List<String> requested = TokenForm.posted(scopes, scopesChosen);
        try {
            CreatedToken created = permanentTokens.create(new UserId(id), name, expiresAt, requested, actor);
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            model.addAttribute("created", created);
            if (htmx == null) {
                return userPage(id, model, Map.of());
            }
            response.setHeader("HX-Trigger", "tokens-changed");
            return "user :: created";
        } catch (CommandRejected e) {
            model.addAttribute("form", new TokenForm(name, expiresAt, requested, Map.of()).refusedBy(e));
            model.addAttribute("scopeChoices", this.scopes.all());
            if (htmx == null) {
                response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
                return userPage(id, model, Map.of());
            }
            return "user :: create-form";
        }
    }

    /**
     * What disabling or enabling a user does, for the confirmation: the active tokens it revokes by kind, and whether
     * it is the signed-in user themselves (whom disabling would log out; the command refuses it).
     */
    private void confirmation(UserSummary user, Model model) {
        UUID id = UUID.fromString(user.id());
        model.addAttribute("activePermanent", activeTokens(id, TokenKind.PERMANENT));
        model.addAttribute("activeSessions", activeTokens(id, TokenKind.TEMPORARY));
    }

    private long activeTokens(UUID id, TokenKind kind) {
        return tokens.list(new TokenQueries.Filter(TokenStatus.ACTIVE, id, kind, null, null), PageRequest.of(0, 1))
                .total();
    }

    /** The confirmation page of Disable user or Enable user, for a browser without JavaScript. */
    @GetMapping("/admin/users/{id}/{op:disable|enable}")
    String confirm(@PathVariable UUID id, @PathVariable String op, @AuthenticationPrincipal Actor actor,
                   @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        if (!actor.isAdmin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only administrators disable or enable users.");
        }
        UserSummary user = find(id);
        model.addAttribute("activeNav", "users");
        model.addAttribute("user", user);
        model.addAttribute("what", op);
        confirmation(user, model);
        if (htmx != null && op.equals("disable")) {
            // The dialog's words, counted as the dialog opens.
            model.addAttribute("self", actor.userId().value().toString().equals(user.id()));
            return "fragments :: disable-text(user=${user},permanent=${activePermanent},sessions=${activeSessions},"
                    + "self=${self})";
        }
        return "confirm";
    }

    @PostMapping("/admin/users/{id}/disable")
    String disable(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        try {
            commands.sendAndWait(new DisableUser(new UserId(id), actor.userId()));
        } catch (CommandRejected e) {
            if (e.reason() != CommandRejected.Reason.CONFLICT) {
                throw e;
            }
            // Oneself, or the last active administrator: a console page saying so, as the API answers a 409 problem.
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
        return "redirect:/admin/users/" + id + "?disabled";
    }

    @PostMapping("/admin/users/{id}/enable")
    String enable(@PathVariable UUID id) {
        commands.sendAndWait(new EnableUser(new UserId(id)));
        return "redirect:/admin/users/" + id + "?enabled";
    }

    private UserSummary find(UUID id) {
        return users.find(new FindUser(new UserId(id)))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no such user."));
    }

    /** The user's permanent tokens, or their login sessions (tab=sessions). */
    private Object userTokens(UUID id, String tab) {
        TokenKind kind = "sessions".equals(tab) ? TokenKind.TEMPORARY : TokenKind.PERMANENT;
        return tokens.list(new TokenQueries.Filter(null, id, kind, null, null), PageRequest.of(0, 200)).items();
    }
}
