package io.tokenledger.query.user;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/me}: the caller's own profile. */
@Tag(name = "Me")
@RestController
class MeController {
    private final UserQueries queries;

    MeController(UserQueries queries) {
        this.queries = queries;
    }

    @Operation(operationId = "getMe", summary = "Your own profile")
    @GetMapping("/api/me")
    Profile me(@AuthenticationPrincipal Actor actor) {
        return queries.profile(actor);
    }
}
