package io.tokenledger.app.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * CSRF tokens bound to a secret the browser holds in an HttpOnly cookie, which a page of another site can neither
 * read nor choose: a console session's token is an HMAC of its session cookie (the temporary token's secret), the
 * login form's an HMAC of a random pre-session cookie set with the form (OWASP's signed double submit). The token is
 * never read back from a cookie, so a made-up cookie with a matching made-up token (what a bare double submit
 * accepts) is refused. With secure cookies the pre-session cookie is a {@code __Host-} cookie, which a sibling
 * domain cannot set either. Nothing is stored: every instance computes the same token.
 */
final class SessionBoundCsrfTokens implements CsrfTokenRepository {
    static final String HEADER = "X-CSRF-TOKEN";
    static final String PARAMETER = "_csrf";
    private static final String NEW_PRE_SESSION = SessionBoundCsrfTokens.class.getName() + ".preSession";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String loginCookie;
    private final boolean secure;

    SessionBoundCsrfTokens(boolean secure) {
        this.secure = secure;
        this.loginCookie = loginCookieName(secure);
    }

    /** The pre-session cookie of the login form. */
    static String loginCookieName(boolean secure) {
        return secure ? "__Host-tl_login" : "tl_login";
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        Optional<String> session = session(request);
        if (session.isPresent()) {
            return token("session", session.get());
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String preSession = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        request.setAttribute(NEW_PRE_SESSION, preSession);
        return token("login", preSession);
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        String preSession = (String) request.getAttribute(NEW_PRE_SESSION);
        if (token == null || preSession == null) {
            return; // a session's token is its session cookie's: nothing to keep
        }
        // until the browser closes; Path=/ as a __Host- cookie requires
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(loginCookie, preSession)
                .httpOnly(true).secure(secure).sameSite("Strict").path("/").build().toString());
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        Optional<String> session = session(request);
        if (session.isPresent()) {
            return token("session", session.get());
        }
        return TokenAuthenticationFilter.cookie(request, loginCookie).map(preSession -> token("login", preSession))
                .orElse(null);
    }

    /**
     * The session cookie a token is bound to; none on the login form, whose page and post go by the pre-session
     * cookie even when an ended session's cookie is still sent along.
     */
    private static Optional<String> session(HttpServletRequest request) {
        if (request.getRequestURI().equals(request.getContextPath() + "/login")) {
            return Optional.empty();
        }
        return TokenAuthenticationFilter.cookie(request, TokenAuthenticationFilter.SESSION_COOKIE);
    }

    private static CsrfToken token(String purpose, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal(("tokenledger csrf " + purpose).getBytes(StandardCharsets.US_ASCII));
            return new DefaultCsrfToken(HEADER, PARAMETER, Base64.getUrlEncoder().withoutPadding().encodeToString(tag));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
