package io.tokenledger.app.security;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;

/**
 * The client id and secret a request presents, as RFC 6749 section 2.3.1 has them: HTTP Basic
 * ({@code client_secret_basic}, id and secret form-urlencoded, then Base64) or the form fields {@code client_id} and
 * {@code client_secret} ({@code client_secret_post}). Using both, or an Authorization header of another scheme, is
 * malformed.
 */
record ClientCredentials(String clientId, String secret) {

    /** Why a request's client credentials cannot be used. */
    enum Problem {
        /** No credentials, or unreadable ones: RFC 6749's {@code invalid_client}. */
        MISSING,
        /** Two methods at once: RFC 6749's {@code invalid_request}. */
        AMBIGUOUS
    }

    /** The credentials, or the problem with them. */
    record Presented(ClientCredentials credentials, Problem problem) {
    }

    static Presented of(HttpServletRequest request) {
        var headers = Collections.list(request.getHeaders("Authorization"));
        String formId = request.getParameter("client_id");
        String formSecret = request.getParameter("client_secret");
        boolean form = formId != null || formSecret != null;
        if (headers.size() > 1) {
            return new Presented(null, Problem.AMBIGUOUS);
        }
        if (headers.size() == 1) {
            if (form) {
                return new Presented(null, Problem.AMBIGUOUS);
            }
            String header = headers.get(0);
            if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return new Presented(null, Problem.MISSING);
            }
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    return new Presented(null, Problem.MISSING);
                }
                return new Presented(new ClientCredentials(formDecode(decoded.substring(0, colon)),
                        formDecode(decoded.substring(colon + 1))), null);
            } catch (IllegalArgumentException e) {
                return new Presented(null, Problem.MISSING);
            }
        }
        if (formId == null || formSecret == null) {
            return new Presented(null, Problem.MISSING);
        }
        return new Presented(new ClientCredentials(formId, formSecret), null);
    }

    private static String formDecode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + "]";
    }
}
