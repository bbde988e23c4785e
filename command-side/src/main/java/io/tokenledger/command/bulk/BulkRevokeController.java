package io.tokenledger.command.bulk;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSelection;
import io.tokenledger.command.CommandRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Bulk revoke (admins): a dry run that shows what would be revoked, or a job that revokes it. */
@CommandRole
@Tag(name = "Tokens")
@RestController
class BulkRevokeController {
    private final BulkRevokes bulk;

    BulkRevokeController(BulkRevokes bulk) {
        this.bulk = bulk;
    }

    /** Which active tokens to revoke; at least one field is required. */
    record BulkRevokeFilter(UUID userId, TokenKind kind,
                  @Schema(maxLength = 200, example = "deploy") @Size(max = 200) String scope,
                  @Schema(maxLength = 200, example = "ci") @Size(max = 200) String tag,
                  @Schema(maxLength = 200, description = "Part of the token's name") @Size(max = 200) String q,
                  @Schema(description = "Created before this instant") Instant createdBefore,
                  @Schema(minimum = "1", maximum = "3650", description = "Not used for this many days: last used "
                          + "that long ago, or never used and created that long ago") Integer unusedForDays) {

        TokenSelection selection() {
            return new TokenSelection(userId, kind, scope, tag, q, createdBefore, unusedForDays);
        }
    }

    /** A bulk revoke: which tokens, why (required unless a dry run), and whether only to preview it. */
    record BulkRevokeRequest(@Valid BulkRevokeFilter filter,
                             @Schema(maxLength = BulkRevokes.MAX_REASON, example = "offboarding of team A",
                                     description = "Recorded as BULK: <reason> on every revocation")
                             @Size(max = 2000) String reason,
                             @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "true: only count "
                                     + "and show what would be revoked") Boolean dryRun) {
    }

    /** The job started by a bulk revoke. */
    record BulkRevokeStarted(UUID jobId) {
    }

    @Operation(operationId = "bulkRevokeTokens", summary = "Revoke every active token a filter matches, as a job, or "
            + "preview it with dryRun (admins); the caller's own token is never revoked")
    @ApiResponse(responseCode = "200", description = "Dry run: how many active tokens match and up to 50 of them; "
            + "nothing changed", content = @io.swagger.v3.oas.annotations.media.Content(
            schema = @Schema(implementation = BulkRevokes.BulkRevokePreview.class)))
    @ApiResponse(responseCode = "202", description = "The job is started; Location names it", content =
            @io.swagger.v3.oas.annotations.media.Content(schema = @Schema(implementation = BulkRevokeStarted.class)))
    @PostMapping("/api/tokens/bulk-revoke")
    ResponseEntity<?> bulkRevoke(@Valid @RequestBody BulkRevokeRequest body, @AuthenticationPrincipal Actor actor) {
        if (!actor.isAdmin()) {
            throw CommandRejected.forbidden("your role does not allow this");
        }
        if (body.dryRun() == null) {
            throw CommandRejected.invalid("dryRun", "must be true or false");
        }
        TokenSelection selection = body.filter() == null ? null : body.filter().selection();
        if (body.dryRun()) {
            return ResponseEntity.ok(bulk.preview(selection, actor));
        }
        UUID jobId = bulk.start(selection, body.reason(), actor);
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + jobId)).body(new BulkRevokeStarted(jobId));
    }
}
