package io.tokenledger.app.roles;

import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.app.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves only the endpoints of this instance's roles. Writes belong to the command role, faults,
 * notifications and webhooks to the notifier, every other read (and projection replays, and token introspection, a
 * POST) to the query role; health, metrics, API docs, the OAuth metadata, the login page and static files belong to
 * every instance. A request for another role's endpoint is
 * a 503 problem that names the role it needs, so a proxy sending it to the wrong instance shows at once.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RoleEndpoints extends OncePerRequestFilter {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final Set<Roles> roles;
    private final Problems problems;

    RoleEndpoints(TokenLedgerProperties properties, Problems problems) {
        this.roles = properties.instanceRoles();
        this.problems = problems;
    }

    /** The role a request needs, or null for what every instance serves. */
    static Roles required(String method, String path) {
        if (path.startsWith("/actuator") || path.startsWith("/v3/") || path.startsWith("/swagger-ui")
                || path.equals("/error") || path.equals("/forbidden") || path.startsWith("/css/")
                || path.startsWith("/js/") || path.startsWith("/webjars/") || path.equals("/favicon.ico")
                || (path.equals("/login") && SAFE_METHODS.contains(method)) || path.startsWith("/.well-known/")) {
            return null;
        }
        if (path.equals("/api/oauth/introspect")) {
            // a read, though a POST (RFC 7662): the query side answers it
            return Roles.QUERY;
        }
        if (path.startsWith("/api/faults") || path.startsWith("/api/notifications")
                || path.startsWith("/api/webhooks") || path.startsWith("/admin/webhooks") || path.equals("/faults")
                || path.startsWith("/faults/")) {
            return Roles.NOTIFIER;
        }
        if (path.startsWith("/api/admin/projections")) {
            return Roles.QUERY;
        }
        return SAFE_METHODS.contains(method) ? Roles.QUERY : Roles.COMMAND;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Roles needed = required(request.getMethod(), request.getRequestURI().substring(request.getContextPath().length()));
        if (needed == null || roles.contains(needed)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", "0");
        problems.write(request, response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "not-served-here",
                "this instance runs the roles " + roles.stream().map(Roles::label).collect(Collectors.joining(","))
                        + "; this request needs an instance with the " + needed.label() + " role"));
    }
}
