package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page needs: who is signed in (for the header and navigation) and the CSRF token. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

    @ModelAttribute("me")
    Actor me(@AuthenticationPrincipal Actor actor) {
        return actor;
    }

    /**
     * Loads the CSRF token before the page renders, so its cookie is set while the response can still take
     * headers; pages put it in a meta tag that htmx sends back as a header, and in every form.
     */
    @ModelAttribute("csrf")
    CsrfToken csrf(HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        if (token != null) {
            token.getToken();
        }
        return token;
    }
}
