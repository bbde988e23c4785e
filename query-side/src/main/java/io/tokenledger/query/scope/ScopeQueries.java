package io.tokenledger.query.scope;

import io.tokenledger.api.scope.FindScope;
import io.tokenledger.api.scope.ScopeView;
import io.tokenledger.api.token.Scopes;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The scopes a token may carry: the built-in ones, then the registered platform scopes by name. */
@Component
public class ScopeQueries {
    /** The processing group of the projection these queries read. */
    public static final String PROJECTION = "scopes";
    private static final String BUILT_IN_API = "everything the owner's role allows on Token Ledger's API";
    private static final String BUILT_IN_READ = "reads (GET and HEAD) of what the owner's role allows on Token "
            + "Ledger's API";

    private final JdbcTemplate jdbc;

    ScopeQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every scope: the built-in ones first. */
    public List<ScopeView> all() {
        List<ScopeView> scopes = new ArrayList<>(builtIn());
        scopes.addAll(jdbc.query("SELECT name, description, created_at FROM scope_view WHERE NOT deleted ORDER BY name",
                (rs, row) -> new ScopeView(rs.getString(1), rs.getString(2), false, instant(rs.getTimestamp(3)))));
        return scopes;
    }

    /** The names of every scope, as RFC 8414 metadata lists them. */
    public List<String> names() {
        return all().stream().map(ScopeView::name).toList();
    }

    @QueryHandler
    public Optional<ScopeView> find(FindScope query) {
        return all().stream().filter(s -> s.name().equals(query.name())).findFirst();
    }

    private static List<ScopeView> builtIn() {
        return List.of(new ScopeView(Scopes.API, BUILT_IN_API, true, null),
                new ScopeView(Scopes.READ_API, BUILT_IN_READ, true, null));
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
