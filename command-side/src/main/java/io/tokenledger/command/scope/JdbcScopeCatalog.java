package io.tokenledger.command.scope;

import io.tokenledger.api.CommandRejected;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The scope catalog in {@code platform_scope}, and the scopes of active tokens in {@code active_token_of_user}. */
@Component
class JdbcScopeCatalog implements ScopeCatalog {
    private final JdbcTemplate jdbc;

    JdbcScopeCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void requireRegistered(Collection<String> platformScopes) {
        if (platformScopes.isEmpty()) {
            return;
        }
        Set<String> found = new HashSet<>(jdbc.queryForList(
                "SELECT name FROM platform_scope WHERE name = ANY (?) ORDER BY name FOR SHARE", String.class,
                (Object) platformScopes.toArray(String[]::new)));
        for (String scope : platformScopes) {
            if (!found.contains(scope)) {
                throw CommandRejected.invalid("scopes", "unknown scope '" + scope + "'");
            }
        }
    }

    @Override
    public void add(String name) {
        jdbc.update("INSERT INTO platform_scope (name) VALUES (?) ON CONFLICT DO NOTHING", name);
    }

    @Override
    public boolean heldByActiveToken(String name) {
        jdbc.queryForList("SELECT name FROM platform_scope WHERE name = ? FOR UPDATE", String.class, name);
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM active_token_of_user WHERE scopes @> ARRAY[?]::text[])", Boolean.class,
                name));
    }

    @Override
    public void remove(String name) {
        jdbc.update("DELETE FROM platform_scope WHERE name = ?", name);
    }
}
