package io.tokenledger.query.token;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.user.FindUser;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.PageResult;
import io.tokenledger.query.FilterInstant;
import io.tokenledger.query.live.LiveStreams;
import io.tokenledger.query.Paging;
import io.tokenledger.query.user.UserQueries;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Token reads: everyone's (admins, auditors), a user's, the caller's own, and the live stream. */
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

    @GetMapping("/api/tokens")
    PageResult<TokenView> all(@RequestParam(required = false) TokenStatus status,
                              @RequestParam(required = false) UUID userId,
                              @RequestParam(required = false) TokenKind kind,
                              @RequestParam(required = false) String q,
                              @RequestParam(required = false) Instant expiresBefore,
                              @RequestParam(required = false) String scope,
                              @RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer size,
                              @RequestParam(required = false) String sort) {
        Instant before = FilterInstant.checked("expiresBefore", expiresBefore);
        return list(new TokenQueries.Filter(status, userId, kind, q, before, scope), page, size, sort);
    }

    @GetMapping("/api/users/{userId}/tokens")
    PageResult<TokenView> ofUser(@PathVariable UUID userId, @AuthenticationPrincipal Actor actor,
                                 @RequestParam(required = false) TokenStatus status,
                                 @RequestParam(required = false) TokenKind kind,
                                 @RequestParam(required = false) String q,
                                 @RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size,
                                 @RequestParam(required = false) String sort) {
        if (!actor.canReadAll() && !actor.userId().value().equals(userId)
                || users.find(new FindUser(new UserId(userId))).isEmpty()) {
            throw CommandRejected.notFound("no user " + userId);
        }
        return list(new TokenQueries.Filter(status, userId, kind, q, null), page, size, sort);
    }

    @GetMapping("/api/me/tokens")
    PageResult<TokenView> mine(@AuthenticationPrincipal Actor actor,
                               @RequestParam(required = false) TokenStatus status,
                               @RequestParam(required = false) TokenKind kind,
                               @RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer size,
                               @RequestParam(required = false) String sort) {
        return list(new TokenQueries.Filter(status, actor.userId().value(), kind, null, null), page, size, sort);
    }

    @GetMapping("/api/tokens/{id}")
    TokenView one(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        return queries.view(id)
                .filter(t -> actor.canReadAll() || t.userId().equals(actor.userId().toString()))
                .orElseThrow(() -> CommandRejected.notFound("no token " + id));
    }

    @GetMapping("/api/tokens/self")
    TokenView self(@AuthenticationPrincipal Actor actor) {
        return queries.view(actor.tokenId().value())
                .orElseThrow(() -> CommandRejected.notFound("no token " + actor.tokenId()));
    }

    /** Token changes as they happen, to whoever may see each one at that moment (see {@link LiveStreams}). */
    @GetMapping(path = "/api/stream/tokens", produces = "text/event-stream")
    SseEmitter stream(@AuthenticationPrincipal Actor actor) {
        return changes.subscribe(LiveStreams.Listener.of(actor));
    }

    private PageResult<TokenView> list(TokenQueries.Filter filter, Integer page, Integer size, String sort) {
        return queries.list(filter, Paging.of(page, size, sort, TokenQueries.SORTABLE, Sort.unsorted()));
    }
}
