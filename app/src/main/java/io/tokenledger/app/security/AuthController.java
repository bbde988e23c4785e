package io.tokenledger.app.security;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.IssueTemporaryToken;
import io.tokenledger.app.audit.AuditMetadataConfig;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.command.ConsistentCommands;
import io.tokenledger.query.user.Profile;
import io.tokenledger.query.user.UserQueries;
import io.tokenledger.query.user.UserView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import io.tokenledger.app.web.Problems;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Login (issues the session's temporary token), logout (revokes it) and the copy of it for the Profile page. */
@RestController
class AuthController {

    private final UserQueries users;
    private final PasswordEncoder passwords;
    private final ConsistentCommands commands;
    private final LoginThrottle throttle;
    private final TokenLedgerProperties properties;
    private final Clock clock;
    /** Compared against when the user does not exist, so unknown users take as long as wrong passwords. */
    private final String noSuchUserHash;

    AuthController(UserQueries users, PasswordEncoder passwords, ConsistentCommands commands, LoginThrottle throttle,
                   TokenLedgerProperties properties, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.commands = commands;
        this.throttle = throttle;
        this.properties = properties;
        this.clock = clock;
        this.noSuchUserHash = passwords.encode(TokenSecret.generate(TokenKind.TEMPORARY).reveal());
    }

    /** Body of {@code POST /api/auth/login}. */
    record LoginRequest(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 72) String password) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    /** Answer to a login: the temporary token's plaintext, shown this once. */
    record LoginResponse(String token, String tokenId, Instant expiresAt, Profile user) {
        @Override
        public String toString() {
            return "LoginResponse[tokenId=" + tokenId + "]";
        }
    }

    /** Answer of {@code GET /api/me/temporary-token}. */
    record TemporaryTokenResponse(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "TemporaryTokenResponse[expiresAt=" + expiresAt + "]";
        }
    }

    @PostMapping("/api/auth/login")
    ResponseEntity<LoginResponse> login(@Valid @RequestBody LoginRequest request,
                                        HttpServletRequest http) {
        String client = http.getRemoteAddr();
        throttle.check(request.username(), client);
        Optional<UserView> user = users.findForLogin(request.username());
        boolean matches = passwords.matches(request.password(),
                user.map(UserView::getPasswordHash).orElse(noSuchUserHash));
        if (user.isEmpty() || !matches || !user.get().isEnabled()) {
            throttle.failed(request.username(), client);
            throw new BadCredentialsException("wrong username or password");
        }
        throttle.succeeded(request.username(), client);
        UserView u = user.get();
        TokenSecret secret = TokenSecret.generate(TokenKind.TEMPORARY);
        TokenId tokenId = TokenId.random();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Duration lifetime = properties.session().lifetime();
        Instant expiresAt = now.plus(lifetime);
        // Nobody is authenticated yet: the user logging in is the one who acts.
        commands.send(GenericCommandMessage.asCommandMessage(new IssueTemporaryToken(tokenId, new UserId(u.getId()),
                        secret.hash(), secret.hint(), now, expiresAt))
                .andMetaData(AuditMetadataConfig.actor(u.getId().toString(), u.getUsername(), u.getRole().name())));
        Actor actor = new Actor(new UserId(u.getId()), u.getUsername(), u.getRole(), tokenId,
                TokenKind.TEMPORARY, expiresAt);
        ResponseCookie cookie = sessionCookie(secret.reveal(), lifetime);
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie.toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new LoginResponse(secret.reveal(), tokenId.toString(), expiresAt, users.profile(actor)));
    }

    @PostMapping("/api/auth/logout")
    ResponseEntity<Void> logout(@AuthenticationPrincipal Actor actor) {
        if (actor.tokenKind() == TokenKind.TEMPORARY) {
            commands.send(new RevokeToken(actor.tokenId(), actor, RevokeToken.LOGOUT));
        }
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, sessionCookie("", Duration.ZERO).toString())
                .build();
    }

    @GetMapping("/api/me/temporary-token")
    ResponseEntity<TemporaryTokenResponse> temporaryToken(@AuthenticationPrincipal Actor actor) {
        if (actor.tokenKind() != TokenKind.TEMPORARY
                || !(SecurityContextHolder.getContext().getAuthentication() instanceof TokenAuthentication auth)) {
            throw CommandRejected.notFound("this request was not made in a login session");
        }
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new TemporaryTokenResponse(auth.getCredentials().reveal(), actor.tokenExpiresAt()));
    }

    @ExceptionHandler(BadCredentialsException.class)
    ResponseEntity<ProblemDetail> wrongCredentials(BadCredentialsException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tokenledger\"")
                .body(Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", e.getMessage()));
    }

    @ExceptionHandler(LoginThrottle.TooManyAttempts.class)
    ResponseEntity<ProblemDetail> tooManyAttempts(LoginThrottle.TooManyAttempts e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()))
                .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-attempts", e.getMessage()));
    }

    private ResponseCookie sessionCookie(String value, Duration maxAge) {
        return ResponseCookie.from(TokenAuthenticationFilter.SESSION_COOKIE, value)
                .httpOnly(true)
                .secure(properties.session().secureCookie())
                .sameSite("Strict")
                .path("/")
                .maxAge(maxAge)
                .build();
    }
}
