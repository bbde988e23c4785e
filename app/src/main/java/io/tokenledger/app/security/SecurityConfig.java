package io.tokenledger.app.security;

import io.tokenledger.app.console.RefusalController;
import io.tokenledger.app.monitoring.MetricsPort;
import io.tokenledger.app.web.Problems;
import io.tokenledger.command.user.PasswordHashing;
import io.tokenledger.query.QueryProperties;
import io.tokenledger.query.token.TokenUsageRecorder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import io.tokenledger.app.console.ReturnPath;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.session.NullAuthenticatedSessionStrategy;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Stateless token security: bearer tokens or the console's session cookie authenticate; roles gate each
 * endpoint as API.md says; every refusal is a problem-details body. Cookie-authenticated writes need the
 * CSRF token; bearer-authenticated calls (no ambient credentials) do not. A token in a URL is refused outright.
 * Every response is kept out of caches, frames and {@code Referer} headers; console pages run only their own
 * scripts; and where the session cookie is secure (served over TLS, maybe at a proxy) browsers are told to
 * use HTTPS only.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /** The console's pages: scripts, styles and requests of its own only (htmx and console.js are files). */
    static final String CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** Argon2id for new password hashes; BCrypt hashes stored before still verify (docs/decisions.md, "Passwords"). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new PasswordHashing();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AuthenticationEntryPoint problemEntryPoint(Problems problems) {
        return (request, response, failure) -> {
            String challenge = "Bearer realm=\"tokenledger\"";
            String detail = "authentication with a valid token is required";
            if (failure instanceof BadCredentialsException) {
                challenge += ", error=\"invalid_token\", error_description=\"" + failure.getMessage() + "\"";
                detail = failure.getMessage();
            }
            response.setHeader("WWW-Authenticate", challenge);
            problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", detail));
        };
    }

    /**
     * The checks of every request before any filter sees it: Spring Security's defaults (header values included),
     * and no NUL in a parameter value — no parameter of the API or the console means anything with one, and
     * PostgreSQL refuses it in a query, so it is a 400 rather than a database error. One bean: with two, Spring
     * Security would use neither.
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderValues(StrictHttpFirewall.ALLOWED_HEADER_VALUES);
        firewall.setAllowedParameterValues(value -> value.indexOf('\0') < 0);
        return firewall;
    }

    /**
     * A request the firewall refuses gets problem details: a 401 with the Bearer challenge when it is the
     * credentials that hold characters no header may (control characters, or non-ASCII bytes that decode to them),
     * since that is a token that cannot be valid; a 400 otherwise.
     */
    @Bean
    RequestRejectedHandler problemRequestRejectedHandler(Problems problems, AuthenticationEntryPoint entryPoint) {
        return (request, response, rejected) -> {
            if (!allowedValues(request, "Authorization") || !allowedValues(request, "Cookie")) {
                entryPoint.commence(request, response, new BadCredentialsException(
                        "the Authorization header or session cookie has characters that are not allowed"));
            } else {
                problems.write(request, response, Problems.of(HttpStatus.BAD_REQUEST, "malformed-request",
                        "the request is not acceptable: its path holds an encoded or unnormalised sequence (such as "
                                + "'%2e', '%25', ';' or '//'), or a header or parameter holds characters that are "
                                + "not allowed"));
            }
        };
    }

    private static boolean allowedValues(HttpServletRequest request, String header) {
        return Collections.list(request.getHeaders(header)).stream()
                .allMatch(StrictHttpFirewall.ALLOWED_HEADER_VALUES);
    }

    /**
     * The API answers 403 problem details; a console page answers with the console's own refusal page. Either is a
     * security event.
     */
    @Bean
    AccessDeniedHandler problemAccessDeniedHandler(Problems problems, SecurityEvents securityEvents) {
        AccessDeniedHandlerImpl console = new AccessDeniedHandlerImpl();
        console.setErrorPage(RefusalController.FORBIDDEN);
        return (request, response, denied) -> {
            securityEvents.accessDenied(request, denied instanceof CsrfException ? "csrf" : "role");
            if (denied instanceof CsrfException
                    && request.getRequestURI().equals(request.getContextPath() + "/login")) {
                // a login form without its pre-session cookie (another site's, or one kept open past the browser's
                // session): a fresh form, which sets a new one
                response.sendRedirect(request.getContextPath() + "/login?expired");
            } else if (isApi(request)) {
                problems.write(request, response,
                        Problems.of(HttpStatus.FORBIDDEN, "forbidden", "your role does not allow this"));
            } else {
                console.handle(request, response, denied);
            }
        };
    }

    /** Whether a request addresses the REST API or the operations endpoints rather than the console. */
    static boolean isApi(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api/") || path.startsWith("/actuator") || path.startsWith("/v3/")
                || path.startsWith("/swagger-ui");
    }

    /**
     * Whether a request addresses an endpoint that authenticates its caller itself rather than by a token: the OAuth
     * 2.0 endpoints of resource servers (client id and secret), their metadata and the leaked-credentials report
     * (anyone).
     */
    static boolean isClientEndpoint(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api/oauth/") || path.equals("/api/credentials/revoke")
                || path.startsWith("/.well-known/");
    }

    /**
     * The API answers 401 problem details; a console page sends the browser to the login page instead (htmx
     * requests are told to with {@code HX-Redirect}, since a redirect would be swapped into the page).
     */
    private static AuthenticationEntryPoint consoleOrApi(AuthenticationEntryPoint api) {
        return (request, response, failure) -> {
            if (isApi(request)) {
                api.commence(request, response, failure);
            } else if (request.getHeader("HX-Request") != null) {
                response.setHeader("HX-Redirect", "/login");
                response.setStatus(HttpStatus.UNAUTHORIZED.value());
            } else {
                // A page asked for: the login returns to it (ReturnPath decides whether it may).
                String page = request.getRequestURI().substring(request.getContextPath().length())
                        + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
                String next = HttpMethod.GET.matches(request.getMethod()) ? ReturnPath.safe(page) : null;
                response.sendRedirect(request.getContextPath() + "/login" + (next == null || next.equals("/")
                        ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
            }
        };
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, TokenCheck tokens, TokenUsageRecorder usage,
                            AuthenticationEntryPoint entryPoint, AccessDeniedHandler accessDenied,
                            Logins logins, Problems problems, QueryProperties properties,
                            IdleSessions idleSessions, SecurityEvents securityEvents, MetricsPort metricsPort)
            throws Exception {
        boolean secure = properties.session().secureCookie();
        // Writes a browser makes on its own: those its session cookie authenticates, and the console's login form
        // (which would otherwise let another site log a victim into the attacker's account).
        RequestMatcher browserWrite = request ->
                !SAFE_METHODS.contains(request.getMethod())
                        && request.getHeader("Authorization") == null
                        && (request.getRequestURI().equals(request.getContextPath() + "/login")
                        || request.getCookies() != null && Arrays.stream(request.getCookies()).map(Cookie::getName)
                        .anyMatch(TokenAuthenticationFilter.SESSION_COOKIE::equals));
        http
                .csrf(csrf -> csrf
                        .csrfTokenRepository(new SessionBoundCsrfTokens(secure))
                        // Each page gets the token masked with fresh random bytes (Spring Security's default): pages are
                        // sent gzip-compressed, and a token that reads the same in every page beside text a request
                        // chose could be guessed from the compressed sizes (BREACH).
                        .csrfTokenRequestHandler(new XorCsrfTokenRequestAttributeHandler())
                        .requireCsrfProtectionMatcher(request -> browserWrite.matches(request)
                                && !isClientEndpoint(request))
                        // Requests authenticate one by one (no HTTP session), so the default "new CSRF token
                        // on authentication" would rotate it on every request and void the page's token.
                        .sessionAuthenticationStrategy(new NullAuthenticatedSessionStrategy()))
                .headers(headers -> headers
                        // Spring Security's defaults stay: no-store caching, nosniff, X-Frame-Options DENY.
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(request -> !isApi(request),
                                new StaticHeadersWriter("Content-Security-Policy", CONSOLE_CSP)))
                        .httpStrictTransportSecurity(hsts -> {
                            if (secure) {
                                // TLS may end at a proxy, so the request itself need not look secure here.
                                hsts.requestMatcher(AnyRequestMatcher.INSTANCE).maxAgeInSeconds(31_536_000);
                            } else {
                                hsts.disable();
                            }
                        }))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(consoleOrApi(entryPoint))
                        .accessDeniedHandler(accessDenied))
                // First thing after the response's headers are arranged: before CSRF, authentication or logging.
                .addFilterAfter(new QueryTokenGuard(problems), HeaderWriterFilter.class)
                .addFilterBefore(new TokenAuthenticationFilter(tokens, usage, idleSessions, entryPoint, problems,
                                () -> logins.clearedCookie().toString(), securityEvents),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        // An async dispatch finishes a request that was authorised when it started (a streamed
                        // export, an event stream); the token filter runs once per request, so it would find
                        // no authentication there and deny a response that is already being written.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/auth/login").permitAll()
                        // Resource servers authenticate as clients, in the controller; secret scanners are anonymous.
                        .requestMatchers(HttpMethod.POST, "/api/oauth/introspect", "/api/oauth/revoke",
                                "/api/credentials/revoke").permitAll()
                        .requestMatchers(HttpMethod.GET, "/.well-known/oauth-authorization-server").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(metricsPort::isScrape).permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/users").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.PUT, "/api/users/*/role").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/users/*/disable", "/api/users/*/enable",
                                "/api/users/*/password").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/users", "/api/users/*").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers(HttpMethod.POST, "/api/users/*/tokens", "/api/me/tokens").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/tokens").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers(HttpMethod.POST, "/api/tokens/bulk-revoke").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/jobs/*").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers(HttpMethod.POST, "/api/scopes").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.DELETE, "/api/scopes/*").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/clients", "/api/clients/*")
                        .hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/api/clients/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/settings/**").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/api/settings/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/faults", "/api/faults/*", "/api/notifications",
                                "/api/notifications/*").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/api/faults/**", "/api/notifications/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/webhooks", "/api/webhooks/**")
                                .hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/api/webhooks", "/api/webhooks/**").hasRole("ADMIN")
                        .requestMatchers("/api/audit/**").hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .requestMatchers("/api/**").authenticated()
                        // The console: pages by role, like the API paths they show.
                        .requestMatchers("/login", "/css/**", "/js/**", "/img/**", "/webjars/**", "/favicon.ico").permitAll()
                        .requestMatchers("/admin/mailbox", "/admin/mailbox/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/admin/**", "/access/**", "/faults")
                        .hasAnyRole("ADMIN", "AUDITOR")
                        .requestMatchers("/admin/**", "/access/**", "/faults/**").hasRole("ADMIN")
                        .requestMatchers("/profile/tokens/new").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/profile/tokens").hasRole("ADMIN")
                        .requestMatchers("/", "/profile", "/profile/**", "/logout").authenticated()
                        .anyRequest().permitAll());
        return http.build();
    }
}
