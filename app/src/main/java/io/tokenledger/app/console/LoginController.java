package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.app.security.LoginThrottle;
import io.tokenledger.app.security.Logins;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The console's login page and logout; the session is the same one {@code POST /api/auth/login} starts. */
@Controller
class LoginController {
    private final Logins logins;

    LoginController(Logins logins) {
        this.logins = logins;
    }

    @GetMapping("/login")
    String loginPage(@AuthenticationPrincipal Actor actor, @RequestParam(required = false) String next, Model model) {
        if (actor != null) {
            return "redirect:" + destination(next, actor);
        }
        model.addAttribute("next", ReturnPath.safe(next));
        return "login";
    }

    @PostMapping("/login")
    String login(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                 @RequestParam(required = false) String next,
                 HttpServletRequest request, HttpServletResponse response, Model model) {
        model.addAttribute("username", username);
        model.addAttribute("next", ReturnPath.safe(next));
        if (username.isBlank() || password.isEmpty() || username.length() > 64 || password.length() > 72) {
            model.addAttribute("error", "Enter your username and password.");
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return "login";
        }
        try {
            Logins.Session session = logins.login(username.strip(), password, request.getRemoteAddr());
            response.addHeader(HttpHeaders.SET_COOKIE, session.cookie().toString());
            return "redirect:" + destination(next, session.actor());
        } catch (BadCredentialsException e) {
            model.addAttribute("error", "Wrong username or password.");
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
        } catch (LoginThrottle.TooManyAttempts e) {
            long minutes = (e.retryAfterSeconds() + 59) / 60;
            model.addAttribute("error", "Too many failed logins. Try again in " + minutes
                    + (minutes == 1 ? " minute." : " minutes."));
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return "login";
    }

    /**
     * Where a login lands: the page that sent the browser to log in, if it is one of ours; else the Dashboard for
     * those who read everything, the Profile for users.
     */
    private static String destination(String next, Actor actor) {
        String path = ReturnPath.safe(next);
        if (path != null) {
            return path;
        }
        return actor.canReadAll() ? "/" : "/profile";
    }

    @PostMapping("/logout")
    String logout(@AuthenticationPrincipal Actor actor, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, logins.logout(actor).toString());
        return "redirect:/login?signedOut";
    }
}
