package io.tokenledger.app.console;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The page a login returns to ({@code /login?next=…}): only a path of this site, never another site's address (an
 * open redirect would let a link to our login page send a user, freshly logged in, anywhere).
 */
public final class ReturnPath {
    private static final int MAX_LENGTH = 2048;

    private ReturnPath() {
    }

    /** The path if it is a page of this site to return to, else null. */
    public static String safe(String next) {
        if (next == null || next.isEmpty() || next.length() > MAX_LENGTH || !next.startsWith("/")
                || next.startsWith("//") || next.startsWith("/\\")) {
            return null;
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '\\') {
                return null;
            }
        }
        try {
            URI uri = new URI(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null
                    || uri.getRawPath().startsWith("/login") || uri.getRawPath().startsWith("/logout")
                    || uri.getRawPath().startsWith("/api/")) {
                return null;
            }
        } catch (URISyntaxException e) {
            return null;
        }
        return next;
    }
}
