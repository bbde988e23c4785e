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
    String loginPage(@AuthenticationPrincipal Actor actor) {
        return actor != null ? "redirect:/profile" : "login";
    }

    @PostMapping("/login")
    String login(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                 HttpServletRequest request, HttpServletResponse response, Model model) {
        model.addAttribute("username", username);
        if (username.isBlank() || password.isEmpty() || username.length() > 64 || password.length() > 72) {
            model.addAttribute("error", "Enter your username and password.");
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return "login";
        }
        try {
            Logins.Session session = logins.login(username.strip(), password, request.getRemoteAddr());
            response.addHeader(HttpHeaders.SET_COOKIE, session.cookie().toString());
            return "redirect:/profile";
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

    @PostMapping("/logout")
    String logout(@AuthenticationPrincipal Actor actor, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, logins.logout(actor).toString());
        return "redirect:/login?signedOut";
    }
}
