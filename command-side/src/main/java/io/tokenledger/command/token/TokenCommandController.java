package io.tokenledger.command.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenLabels;
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
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Token commands over REST: create (admins), revoke, rotate and describe (admins and owners). */
@CommandRole
@Tag(name = "Tokens")
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
    record CreateTokenRequest(@Schema(example = "ci-deploy") @Size(max = 400) String name,
                              @Schema(maxLength = 64, example = "2027-06-30", description = "YYYY-MM-DD (00:00 UTC) or "
                                      + "an ISO-8601 instant; default one year") String expiresAt,
                              @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 200, example = "api"))
                              @Size(max = 100) List<String> scopes,
                              @Schema(maxLength = TokenLabels.MAX_DESCRIPTION_LENGTH, example = "Deploys the web app "
                                      + "from CI") String description,
                              @ArraySchema(maxItems = TokenLabels.MAX_TAGS, schema = @Schema(
                                      maxLength = TokenLabels.MAX_TAG_LENGTH, pattern = "[a-z0-9][a-z0-9._-]*",
                                      example = "ci", description = "A label; taken in lower case, duplicates "
                                      + "dropped")) List<String> tags) {
    }

    /**
     * Body of a change of description and tags: a field left out stays as it is; a null or blank description and a
     * null or empty list of tags clear them. A class with setters, not a record, to tell a field left out from one
     * given as null.
     */
    static final class DescribeTokenRequest {
        private String description;
        private boolean descriptionGiven;
        private List<String> tags;
        private boolean tagsGiven;

        @Schema(maxLength = TokenLabels.MAX_DESCRIPTION_LENGTH, nullable = true, example = "Deploys the web app "
                + "from CI", description = "Left out: unchanged; null or blank: cleared")
        public String getDescription() {
            return description;
        }

        public void setDescription(String description) {
            this.description = description;
            this.descriptionGiven = true;
        }

        @ArraySchema(maxItems = TokenLabels.MAX_TAGS, arraySchema = @Schema(nullable = true,
                description = "Left out: unchanged; null or empty: cleared"), schema = @Schema(
                maxLength = TokenLabels.MAX_TAG_LENGTH, pattern = "[a-z0-9][a-z0-9._-]*", example = "ci"))
        public List<String> getTags() {
            return tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags;
            this.tagsGiven = true;
        }

        /** The description for the command: null when left out, blank to clear. */
        String change() {
            return !descriptionGiven ? null : description == null ? "" : description;
        }

        /** The tags for the command: null when left out, empty to clear. */
        List<String> tagChange() {
            return !tagsGiven ? null : tags == null ? List.of() : tags;
        }
    }

    /**
     * Body of a rotation: an optional expiry for the new token, its scopes (default: the old token's), and an
     * optional grace period for the old one.
     */
    record RotateTokenRequest(@Schema(maxLength = 64, example = "2027-06-30", description = "YYYY-MM-DD (00:00 UTC) "
                                      + "or an ISO-8601 instant") String expiresAt,
                              @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 200, example = "api"))
                              @Size(max = 100) List<String> scopes,
                              @Schema(maxLength = 64, example = "PT24H", description = "ISO-8601 duration, positive, "
                                      + "at most P7D: the old token keeps working (status ROTATING) until then, "
                                      + "never past its own expiry; without it the old token is revoked at once")
                              @Size(max = 64) String gracePeriod) {
    }

    /** Body of a revocation: an optional reason. */
    record RevokeTokenRequest(@Schema(example = "leaked") @Size(max = 200) String reason) {
    }

    @Operation(operationId = "createUserToken", summary = "Create a permanent token for a user (admins); the plaintext is shown once")
    @ApiResponse(responseCode = "201", description = "The token is created; its plaintext is in this answer only")
    @PostMapping("/api/users/{userId}/tokens")
    ResponseEntity<CreatedToken> createForUser(@PathVariable UUID userId, @Valid @RequestBody CreateTokenRequest body,
                                               @AuthenticationPrincipal Actor actor) {
        return created(tokens.create(new UserId(userId), body.name(), body.expiresAt(), body.scopes(),
                body.description(), body.tags(), actor));
    }

    @Operation(operationId = "createMyToken", summary = "Create a permanent token for yourself (admins); the plaintext is shown once")
    @ApiResponse(responseCode = "201", description = "The token is created; its plaintext is in this answer only")
    @PostMapping("/api/me/tokens")
    ResponseEntity<CreatedToken> createForSelf(@Valid @RequestBody CreateTokenRequest body,
                                               @AuthenticationPrincipal Actor actor) {
        return created(tokens.create(actor.userId(), body.name(), body.expiresAt(), body.scopes(),
                body.description(), body.tags(), actor));
    }

    @Operation(operationId = "revokeToken", summary = "Revoke a token (admins, or its owner)")
    @PostMapping("/api/tokens/{id}/revoke")
    TokenView revoke(@PathVariable UUID id, @Valid @RequestBody(required = false) RevokeTokenRequest body,
                     @AuthenticationPrincipal Actor actor) {
        return tokens.revoke(new TokenId(id), body == null ? null : body.reason(), actor);
    }

    @Operation(operationId = "describeToken", summary = "Change an active permanent token's description and tags "
            + "(admins, or its owner)")
    @PatchMapping("/api/tokens/{id}")
    TokenView describe(@PathVariable UUID id, @Valid @RequestBody DescribeTokenRequest body,
                       @AuthenticationPrincipal Actor actor) {
        return tokens.describe(new TokenId(id), body.change(), body.tagChange(), actor);
    }

    @Operation(operationId = "rotateToken", summary = "Rotate a token: a new secret, the old token revoked at once or "
            + "after a grace period (admins, or its owner)")
    @ApiResponse(responseCode = "201", description = "The new token; its plaintext is in this answer only")
    @PostMapping("/api/tokens/{id}/rotate")
    ResponseEntity<CreatedToken> rotate(@PathVariable UUID id,
                                        @Valid @RequestBody(required = false) RotateTokenRequest body,
                                        @AuthenticationPrincipal Actor actor) {
        return created(tokens.rotate(new TokenId(id), body == null ? null : body.expiresAt(),
                body == null ? null : body.scopes(), body == null ? null : body.gracePeriod(), actor));
    }

    private static ResponseEntity<CreatedToken> created(CreatedToken token) {
        return ResponseEntity.created(URI.create("/api/tokens/" + token.id()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").body(token);
    }
}
