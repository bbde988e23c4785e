package io.tokenledger.app.security;

import io.tokenledger.app.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses every request that carries a token in its URL ({@code ?access_token=}, {@code ?token=}, or any query
 * value shaped like a token) before anything else looks at it: URLs end up in proxy logs, browser history and
 * {@code Referer} headers, so a token there is as good as published. The answer names neither the parameter's
 * value nor the query, and nothing logs it.
 */
class QueryTokenGuard extends OncePerRequestFilter {
    /** Parameter names that clients use for tokens (RFC 6750 section 2.3, and the obvious one). */
    private static final Set<String> TOKEN_PARAMETERS = Set.of("access_token", "token");
    /** A token prefix followed by enough of the token's alphabet to be one, or most of one. */
    private static final Pattern TOKEN_SHAPE = Pattern.compile("tl[pt]_[0-9A-Za-z]{16}");
    static final String DETAIL = "tokens are not accepted in the URL, where logs and browser histories keep them; "
            + "send the token in the Authorization header: 'Authorization: Bearer <token>'";

    private final Problems problems;

    QueryTokenGuard(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && carriesToken(query)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"tokenledger\", error=\"invalid_request\", "
                    + "error_description=\"send the token in the Authorization header, not in the URL\"");
            problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "token-in-url", DETAIL));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether the raw query string names a token parameter or has a value shaped like a token. */
    static boolean carriesToken(String query) {
        for (String pair : query.split("[&;]")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (TOKEN_PARAMETERS.contains(name.strip().toLowerCase(Locale.ROOT))
                    || TOKEN_SHAPE.matcher(value).find() || TOKEN_SHAPE.matcher(name).find()) {
                return true;
            }
        }
        return false;
    }

    /** Percent-decoding that keeps a malformed escape as it is rather than failing. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
