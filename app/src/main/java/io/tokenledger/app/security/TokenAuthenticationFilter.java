package io.tokenledger.app.security;

import io.tokenledger.api.Actor;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.app.web.Problems;
import io.tokenledger.query.credential.Credential;
import io.tokenledger.query.token.TokenUsageRecorder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by the token in {@code Authorization: Bearer …} or, for the console, in the
 * session cookie. A token that is not well-formed or fails its checksum is refused before any lookup; a
 * well-formed one is looked up by its SHA-256 (cached). A token whose scopes do not allow the request (a
 * {@code read_api} token writing, a token of platform scopes only) is refused with 403 and RFC 6750's
 * {@code insufficient_scope}. Successful responses carry {@code Token-Expiration}.
 * A token that is not cached while the database cannot be reached is neither let in nor refused: the answer is a
 * 503, as nothing is known about it.
 */
class TokenAuthenticationFilter extends OncePerRequestFilter {
    static final String SESSION_COOKIE = "tl_session";
    static final String EXPIRATION_HEADER = "Token-Expiration";

    private final TokenCheck tokens;
    private final TokenUsageRecorder usage;
    private final IdleSessions idleSessions;
    private final AuthenticationEntryPoint entryPoint;
    private final Problems problems;
    private final Supplier<String> clearCookie;
    private final SecurityEvents securityEvents;

    TokenAuthenticationFilter(TokenCheck tokens, TokenUsageRecorder usage, IdleSessions idleSessions,
                              AuthenticationEntryPoint entryPoint, Problems problems,
                              Supplier<String> clearCookie, SecurityEvents securityEvents) {
        this.clearCookie = clearCookie;
        this.securityEvents = securityEvents;
        this.tokens = tokens;
        this.usage = usage;
        this.idleSessions = idleSessions;
        this.entryPoint = entryPoint;
        this.problems = problems;
    }

    /**
     * The OAuth 2.0 endpoints and the leaked-credentials report authenticate their callers themselves (a client's id
     * and secret, or nobody): an Authorization header there is HTTP Basic, not a token.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SecurityConfig.isClientEndpoint(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        String presented;
        boolean fromCookie = false;
        if (header != null && Collections.list(request.getHeaders("Authorization")).size() > 1) {
            // Which one would count is up to each proxy on the way: none does.
            securityEvents.tokenRefused(Optional.empty(), null, false);
            entryPoint.commence(request, response,
                    new BadCredentialsException("a request must carry one Authorization header"));
            return;
        }
        if (header != null) {
            if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                securityEvents.tokenRefused(Optional.empty(), null, false);
                entryPoint.commence(request, response,
                        new BadCredentialsException("the Authorization header must be 'Bearer <token>'"));
                return;
            }
            presented = header.substring(7).strip();
        } else {
            presented = cookie(request, SESSION_COOKIE).orElse(null);
            fromCookie = presented != null;
        }
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        TokenCheck.Result checked;
        try {
            checked = tokens.check(presented);
        } catch (DataAccessException e) {
            if (!Problems.isDatabaseUnavailable(e)) {
                throw e;
            }
            logger.warn("Database unavailable for a token lookup: " + e.getMostSpecificCause());
            problems.writeDatabaseUnavailable(request, response);
            return;
        }
        Optional<TokenSecret> secret = checked.secret();
        Optional<Credential> credential = checked.active();
        boolean idle = checked.idle();
        if (credential.isEmpty()) {
            securityEvents.tokenRefused(secret, checked.found().orElse(null), idle);
            if (fromCookie && !SecurityConfig.isApi(request)) {
                // A console page with an ended session: forget the cookie and let the page ask for a login.
                response.addHeader("Set-Cookie", clearCookie.get());
                chain.doFilter(request, response);
                return;
            }
            entryPoint.commence(request, response, new BadCredentialsException(secret.isEmpty()
                    ? "the token is malformed" : idle ? "the session has been idle for longer than "
                    + idleSessions.idleTimeout().toMinutes() + " minutes; log in again"
                    : "the token is unknown, expired or revoked"));
            return;
        }
        Credential c = credential.get();
        Actor actor = new Actor(c.userId(), c.username(), c.role(), c.tokenId(), c.kind(), c.expiresAt());
        SecurityContextHolder.getContext().setAuthentication(
                new TokenAuthentication(actor, c.scopes(), secret.get(), fromCookie));
        response.setHeader(EXPIRATION_HEADER, c.endsAt().toString());
        usage.record(c, request.getRemoteAddr(), request.getHeader("User-Agent"), null);
        if (!Scopes.allow(c.scopes(), request.getMethod())) {
            try {
                insufficientScope(request, response, c.scopes());
            } finally {
                SecurityContextHolder.clearContext();
            }
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /**
     * RFC 6750's answer to a token whose scopes do not allow the request: 403 problem details with an
     * {@code insufficient_scope} challenge naming the scope that would.
     */
    private void insufficientScope(HttpServletRequest request, HttpServletResponse response, List<String> scopes)
            throws IOException {
        securityEvents.accessDenied(request, "scope");
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        String needed = read ? Scopes.READ_API : Scopes.API;
        String detail = "the token's scopes (" + Scopes.joined(scopes) + ") do not allow this; it needs '"
                + needed + "'";
        response.setHeader("WWW-Authenticate", "Bearer realm=\"tokenledger\", error=\"insufficient_scope\", "
                + "error_description=\"" + detail.replace('"', '\'') + "\", scope=\"" + needed + "\"");
        problems.write(request, response, Problems.of(HttpStatus.FORBIDDEN, "insufficient-scope", detail));
    }

    /** The value of the first cookie of that name that has one. */
    static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (name.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }
}
