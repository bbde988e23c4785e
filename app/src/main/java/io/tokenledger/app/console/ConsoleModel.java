package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ResponseStatusException;

/**
 * What every console page needs: who is signed in (for the header and navigation) and the CSRF token; and a
 * page, not problem details, when a console page is asked for something that is not there.
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleModel {

    @ModelAttribute("me")
    Actor me(@AuthenticationPrincipal Actor actor) {
        return actor;
    }

    /** Whether Administrator → Mailbox is shown: to admins, where this instance runs the embedded SMTP capture. */
    @ModelAttribute("mailbox")
    boolean mailbox(@AuthenticationPrincipal Actor actor) {
        return actor != null && actor.isAdmin() && MailboxController.available();
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

    /**
     * The page being shown, as a path of this site: where a row's Revoke or Rotate, opened as a page of its own
     * (without JavaScript), returns afterwards. A page htmx fetched a part of is the page the browser shows
     * (HX-Current-URL); the answer to a plain POST has none, and its controller may name it.
     */
    @ModelAttribute("pagePath")
    String pagePath(HttpServletRequest request) {
        String current = request.getHeader("HX-Current-URL");
        if (current != null) {
            return ConfirmPage.back(current, null);
        }
        if (!"GET".equals(request.getMethod())) {
            return null;
        }
        String query = request.getQueryString();
        return ReturnPath.safe(request.getRequestURI() + (query == null ? "" : "?" + query));
    }

    /** A console page about something that is not there (or a refusal of its own) answers with a page. */
    @ExceptionHandler(ResponseStatusException.class)
    String refused(ResponseStatusException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        HttpStatus status = HttpStatus.valueOf(e.getStatusCode().value());
        response.setStatus(status.value());
        model.addAttribute("me", me(currentActor()));
        model.addAttribute("csrf", csrf(request));
        String heading = status == HttpStatus.NOT_FOUND ? "Not found" : status.getReasonPhrase();
        String message = e.getReason() != null ? e.getReason()
                : status == HttpStatus.NOT_FOUND ? "There is nothing here; it may have been removed." : "";
        return RefusalController.refusal(model, status, heading, message);
    }

    private static Actor currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Actor actor ? actor : null;
    }
}
