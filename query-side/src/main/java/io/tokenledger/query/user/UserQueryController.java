package io.tokenledger.query.user;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageResult;
import io.tokenledger.api.user.FindUser;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserSummary;
import io.tokenledger.query.Paging;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/users} and {@code GET /api/users/{id}}, for admins and auditors. */
@Tag(name = "Users")
@RestController
@RequestMapping("/api/users")
class UserQueryController {
    private final UserQueries queries;

    UserQueryController(UserQueries queries) {
        this.queries = queries;
    }

    @Operation(operationId = "listUsers", summary = "List users, a page at a time (admins, auditors)")
    @GetMapping
    PageResult<UserSummary> list(@RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size,
                                 @RequestParam(required = false) String sort) {
        return queries.list(Paging.of(page, size, sort, UserQueries.SORTABLE, Sort.by("username")));
    }

    @Operation(operationId = "getUser", summary = "One user (admins, auditors)")
    @GetMapping("/{id}")
    UserSummary one(@PathVariable UUID id) {
        return queries.find(new FindUser(new UserId(id)))
                .orElseThrow(() -> CommandRejected.notFound("no user " + id));
    }
}
