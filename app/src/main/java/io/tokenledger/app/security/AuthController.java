package io.tokenledger.app.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.app.web.Problems;
import io.tokenledger.command.user.PasswordPolicy;
import io.tokenledger.query.user.Profile;
import io.tokenledger.query.user.UserQueries;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Login (issues the session's temporary token), logout (revokes it), the copy of it for the Profile page, and the
 * change of one's own password.
 */
@Tag(name = "Authentication")
@RestController
class AuthController {

    private final Logins logins;
    private final UserQueries users;

    AuthController(Logins logins, UserQueries users) {
        this.logins = logins;
        this.users = users;
    }

    /** Body of {@code POST /api/auth/login}. */
    record LoginRequest(@NotBlank @Size(max = 64) String username,
                        @NotBlank @Size(max = PasswordPolicy.MAX_LENGTH * 2) String password) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    /** Body of {@code POST /api/me/password}. */
    record ChangePasswordRequest(@NotNull @Size(max = PasswordPolicy.MAX_LENGTH * 2) String currentPassword,
                                 @NotNull @Size(max = PasswordPolicy.MAX_LENGTH * 2) String newPassword) {
        @Override
        public String toString() {
            return "ChangePasswordRequest[]";
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

    @Operation(operationId = "login", summary = "Log in: the session's temporary token (shown once) and the session cookie")
    @ApiResponse(responseCode = "200", description = "Logged in: the temporary token, shown this once, and the "
            + "tl_session cookie that carries it")
    @ApiResponse(responseCode = "429", description = "Too many failed logins; see Retry-After")
    @PostMapping("/api/auth/login")
    ResponseEntity<LoginResponse> login(@Valid @RequestBody LoginRequest request,
                                        HttpServletRequest http) {
        Logins.Session session = logins.login(request.username(), request.password(), http.getRemoteAddr());
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, session.cookie().toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new LoginResponse(session.secret().reveal(), session.tokenId().toString(), session.expiresAt(),
                        users.profile(session.actor())));
    }

    @Operation(operationId = "logout", summary = "Log out: the session's token is revoked")
    @ApiResponse(responseCode = "204", description = "Logged out; the cookie is cleared")
    @PostMapping("/api/auth/logout")
    ResponseEntity<Void> logout(@AuthenticationPrincipal Actor actor) {
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, logins.logout(actor).toString()).build();
    }

    /** The caller changes their own password; their other login sessions are revoked. */
    @Operation(operationId = "changeMyPassword", summary = "Change your own password; your other sessions end")
    @ApiResponse(responseCode = "204", description = "The password is changed")
    @ApiResponse(responseCode = "429", description = "Too many wrong current passwords; see Retry-After")
    @PostMapping("/api/me/password")
    ResponseEntity<Void> changePassword(@Valid @RequestBody ChangePasswordRequest request,
                                        @AuthenticationPrincipal Actor actor, HttpServletRequest http) {
        logins.changeOwnPassword(actor, request.currentPassword(), request.newPassword(), http.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "getMyTemporaryToken", summary = "The temporary token of this login session (cookie-authenticated)")
    @GetMapping("/api/me/temporary-token")
    ResponseEntity<TemporaryTokenResponse> temporaryToken(@AuthenticationPrincipal Actor actor) {
        TokenSecret secret = Logins.sessionSecret()
                .orElseThrow(() -> CommandRejected.notFound("this request was not made in a login session"));
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new TemporaryTokenResponse(secret.reveal(), actor.tokenExpiresAt()));
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
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-attempts", e.getMessage()));
    }
}
