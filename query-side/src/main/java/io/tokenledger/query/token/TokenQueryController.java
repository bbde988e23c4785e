package io.tokenledger.query.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageResult;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSelection;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.user.FindUser;
import io.tokenledger.api.user.UserId;
import io.tokenledger.query.FilterInstant;
import io.tokenledger.query.Paging;
import io.tokenledger.query.live.LiveStreams;
import io.tokenledger.query.user.UserQueries;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Token reads: everyone's (admins, auditors), a user's, the caller's own, and the live stream. */
@Tag(name = "Tokens")
@RestController
class TokenQueryController {
    private final TokenQueries queries;
    private final TokenChanges changes;
    private final UserQueries users;

    TokenQueryController(TokenQueries queries, TokenChanges changes, UserQueries users) {
        this.queries = queries;
        this.changes = changes;
        this.users = users;
    }

    @Operation(operationId = "listTokens", summary = "List all tokens, filtered and sorted, a page at a time (admins, auditors)")
    @GetMapping("/api/tokens")
    PageResult<TokenView> all(@RequestParam(required = false) TokenStatus status,
                              @RequestParam(required = false) UUID userId,
                              @RequestParam(required = false) TokenKind kind,
                              @RequestParam(required = false) @Size(max = 200) String q,
                              @RequestParam(required = false) Instant expiresBefore,
                              @RequestParam(required = false) @Size(max = 200) String scope,
                              @RequestParam(required = false) @Size(max = 200) String tag,
                              @RequestParam(required = false) Instant createdBefore,
                              @Parameter(description = "Not used for this many days (1 to 3650): last used that "
                                      + "long ago, or never used and created that long ago",
                                      schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "3650"))
                              @RequestParam(required = false) Integer unusedForDays,
                              @RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer size,
                              @RequestParam(required = false) String sort) {
        Instant before = FilterInstant.checked("expiresBefore", expiresBefore);
        TokenSelection selection = new TokenSelection(userId, kind, scope, tag, q, createdBefore, unusedForDays)
                .checked("");
        return list(new TokenQueries.Filter(status, before, selection), page, size, sort);
    }

    @Operation(operationId = "listUserTokens", summary = "A user's tokens (admins, auditors, or the user)")
    @GetMapping("/api/users/{userId}/tokens")
    PageResult<TokenView> ofUser(@PathVariable UUID userId, @AuthenticationPrincipal Actor actor,
                                 @RequestParam(required = false) TokenStatus status,
                                 @RequestParam(required = false) TokenKind kind,
                                 @RequestParam(required = false) @Size(max = 200) String q,
                                 @RequestParam(required = false) @Size(max = 200) String scope,
                                 @RequestParam(required = false) @Size(max = 200) String tag,
                                 @Parameter(description = "Not used for this many days (1 to 3650)",
                                         schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "3650"))
                                 @RequestParam(required = false) Integer unusedForDays,
                                 @RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size,
                                 @RequestParam(required = false) String sort) {
        if (!actor.canReadAll() && !actor.userId().value().equals(userId)
                || users.find(new FindUser(new UserId(userId))).isEmpty()) {
            throw CommandRejected.notFound("no user " + userId);
        }
        TokenSelection selection = new TokenSelection(userId, kind, scope, tag, q, null, unusedForDays).checked("");
        return list(new TokenQueries.Filter(status, null, selection), page, size, sort);
    }

    @Operation(operationId = "listMyTokens", summary = "Your own tokens")
    @GetMapping("/api/me/tokens")
    PageResult<TokenView> mine(@AuthenticationPrincipal Actor actor,
                               @RequestParam(required = false) TokenStatus status,
                               @RequestParam(required = false) TokenKind kind,
                               @RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer size,
                               @RequestParam(required = false) String sort) {
        return list(new TokenQueries.Filter(status, actor.userId().value(), kind, null, null), page, size, sort);
    }

    @Operation(operationId = "getToken", summary = "One token (admins, auditors, or its owner)")
    @GetMapping("/api/tokens/{id}")
    TokenView one(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        return queries.view(id)
                .filter(t -> actor.canReadAll() || t.userId().equals(actor.userId().toString()))
                .orElseThrow(() -> CommandRejected.notFound("no token " + id));
    }

    @Operation(operationId = "getTokenUsage", summary = "Where a token is used: its most recently used addresses "
            + "(client address, user agent, introspecting client), at most 20, most recent first (admins, auditors, "
            + "or its owner)")
    @GetMapping("/api/tokens/{id}/usage")
    List<TokenAddressView> usage(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        one(id, actor);
        return queries.addresses(id);
    }

    @Operation(operationId = "getCurrentToken", summary = "The token this request is made with")
    @GetMapping("/api/tokens/self")
    TokenView self(@AuthenticationPrincipal Actor actor) {
        return queries.view(actor.tokenId().value())
                .orElseThrow(() -> CommandRejected.notFound("no token " + actor.tokenId()));
    }

    /** Token changes as they happen, to whoever may see each one at that moment (see {@link LiveStreams}). */
    @Operation(operationId = "streamTokenChanges", summary = "Live token changes as server-sent events (those you may read)")
    @ApiResponse(responseCode = "200", description = "A server-sent event stream: each event is a token that "
            + "changed, as JSON (the token list's item); a comment line keeps the connection alive",
            content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string",
                    example = "id: 0b6f5c1e-4a6d-4f0e-9a51-2d0c8f3e7b21\nevent: token\ndata: {\"id\":\"0b6f5c1e-4a6d-4f0e-9a51-2d0c8f3e7b21\",\"status\":\"REVOKED\"}\n\n")))
    @ApiResponse(responseCode = "429", description = "You already hold as many open streams as allowed")
    @GetMapping(path = "/api/stream/tokens", produces = "text/event-stream")
    SseEmitter stream(@AuthenticationPrincipal Actor actor) {
        return changes.subscribe(LiveStreams.Listener.of(actor));
    }

    private PageResult<TokenView> list(TokenQueries.Filter filter, Integer page, Integer size, String sort) {
        return queries.list(filter, Paging.of(page, size, sort, TokenQueries.SORTABLE, Sort.unsorted()));
    }
}
