package io.tokenledger.command.token;

import io.tokenledger.api.Actor;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.CommandRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Token commands over REST: create (admins), revoke and rotate (admins and owners). */
@CommandRole
@RestController
class TokenCommandController {
    private final PermanentTokens tokens;

    TokenCommandController(PermanentTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * Body of token creation: a name, an optional expiry, {@code YYYY-MM-DD} (00:00 UTC) or an instant, and optional
     * scopes (default {@code api}).
     */
    record CreateTokenRequest(@Size(max = 400) String name, String expiresAt, @Size(max = 100) List<String> scopes) {
    }

    /** Body of a rotation: an optional expiry for the new token, and its scopes (default: the old token's). */
    record RotateTokenRequest(String expiresAt, @Size(max = 100) List<String> scopes) {
    }

    /** Body of a revocation: an optional reason. */
    record RevokeTokenRequest(@Size(max = 200) String reason) {
    }

    @PostMapping("/api/users/{userId}/tokens")
    ResponseEntity<CreatedToken> createForUser(@PathVariable UUID userId, @Valid @RequestBody CreateTokenRequest body,
                                               @AuthenticationPrincipal Actor actor) {
        return created(tokens.create(new UserId(userId), body.name(), body.expiresAt(), body.scopes(), actor));
    }

    @PostMapping("/api/me/tokens")
    ResponseEntity<CreatedToken> createForSelf(@Valid @RequestBody CreateTokenRequest body,
                                               @AuthenticationPrincipal Actor actor) {
        return created(tokens.create(actor.userId(), body.name(), body.expiresAt(), body.scopes(), actor));
    }

    @PostMapping("/api/tokens/{id}/revoke")
    TokenView revoke(@PathVariable UUID id, @Valid @RequestBody(required = false) RevokeTokenRequest body,
                     @AuthenticationPrincipal Actor actor) {
        return tokens.revoke(new TokenId(id), body == null ? null : body.reason(), actor);
    }

    @PostMapping("/api/tokens/{id}/rotate")
    ResponseEntity<CreatedToken> rotate(@PathVariable UUID id,
                                        @Valid @RequestBody(required = false) RotateTokenRequest body,
                                        @AuthenticationPrincipal Actor actor) {
        return created(tokens.rotate(new TokenId(id), body == null ? null : body.expiresAt(),
                body == null ? null : body.scopes(), actor));
    }

    private static ResponseEntity<CreatedToken> created(CreatedToken token) {
        return ResponseEntity.created(URI.create("/api/tokens/" + token.id()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(token);
    }
}
