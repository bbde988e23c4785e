package io.tokenledger.app.console;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The console's answer when a signed-in user's role does not allow a page: a page in the console's own frame
 * that says so and leads back, with status 403 (the API answers problem details instead).
 */
@Controller
public class RefusalController {
    /** Where the security configuration forwards a console request its role may not make. */
    public static final String FORBIDDEN = "/forbidden";

    @RequestMapping(FORBIDDEN)
    String forbidden(HttpServletResponse response, Model model) {
        response.setStatus(HttpStatus.FORBIDDEN.value());
        return refusal(model, HttpStatus.FORBIDDEN, "You do not have access to this page",
                "Your role does not allow it. If you need it, ask an administrator.");
    }

    /** Fills the refusal page's model; also used for console pages about something that is not there. */
    static String refusal(Model model, HttpStatus status, String heading, String message) {
        model.addAttribute("status", status.value());
        model.addAttribute("heading", heading);
        model.addAttribute("message", message);
        return "refusal";
    }
}
