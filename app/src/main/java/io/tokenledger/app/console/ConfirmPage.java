package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.token.TokenView;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.ui.Model;

/**
 * The confirmation pages of destructive actions for a browser without JavaScript (with it, the same words come in a
 * dialog on the page), and where such a form returns to afterwards: only a path of this site.
 */
final class ConfirmPage {
    private ConfirmPage() {
    }

    /** The Revoke confirmation of a token, posting to {@code action} and returning to {@code back}. */
    static String revoke(Model model, TokenView token, Actor actor, String action, String back) {
        model.addAttribute("what", "revoke");
        model.addAttribute("token", token);
        model.addAttribute("self", isSession(actor, token.id()));
        model.addAttribute("action", action);
        model.addAttribute("back", back);
        return "confirm";
    }

    /** Whether this token is the one the signed-in page itself runs on (its login session). */
    static boolean isSession(Actor actor, String tokenId) {
        return actor != null && actor.tokenId() != null && actor.tokenId().toString().equals(tokenId);
    }

    /**
     * The page a confirmation returns to: the one the form names ({@code back}, a path of this site), else
     * {@code fallback}.
     */
    static String back(String back, String referer, String fallback) {
        String named = ReturnPath.safe(back);
        return named != null ? named : back(referer, fallback);
    }

    /** The page a confirmation returns to: the Referer's path on this site, else {@code fallback}. */
    static String back(String referer, String fallback) {
        if (referer == null) {
            return fallback;
        }
        try {
            URI uri = new URI(referer);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String safe = ReturnPath.safe(path);
            return safe == null ? fallback : safe;
        } catch (URISyntaxException e) {
            return fallback;
        }
    }

    /** A redirect after a plain form's action to {@code back} (a path of this site) with a notice flag. */
    static String redirect(String back, String fallback, String notice) {
        String target = ReturnPath.safe(back);
        if (target == null) {
            target = fallback;
        }
        int fragment = target.indexOf('#');
        if (fragment >= 0) {
            target = target.substring(0, fragment);
        }
        return "redirect:" + target + (target.contains("?") ? "&" : "?") + notice;
    }
}
