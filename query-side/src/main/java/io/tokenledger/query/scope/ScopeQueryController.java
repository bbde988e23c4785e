package io.tokenledger.query.scope;

import io.tokenledger.api.scope.ScopeView;
import io.tokenledger.query.QueryRole;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The scopes a token may carry, for anyone signed in (e.g. to pick them when asking an admin for a token). */
@QueryRole
@RestController
class ScopeQueryController {
    private final ScopeQueries scopes;

    ScopeQueryController(ScopeQueries scopes) {
        this.scopes = scopes;
    }

    @GetMapping("/api/scopes")
    List<ScopeView> all() {
        return scopes.all();
    }
}
