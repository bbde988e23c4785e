package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.query.user.UserQueries;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A user whose password was generated for them (the bootstrap administrator's, shown once in the console output)
 * is sent to the password form by every console page until they change it. The REST API is not held back: it
 * answers {@code passwordChangeRequired: true} in {@code GET /api/me}, and scripts keep working.
 */
@Configuration(proxyBeanMethods = false)
class PasswordChangeFirst implements WebMvcConfigurer {
    static final String PASSWORD_PAGE = "/profile/password";
    /** Console pages shown whatever the password: its form, signing in and out, and refusals. */
    private static final Set<Class<?>> ALWAYS = Set.of(LoginController.class, RefusalController.class);

    private final UserQueries users;

    PasswordChangeFirst(UserQueries users) {
        this.users = users;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws Exception {
                if (!(handler instanceof HandlerMethod method)
                        || !method.getBeanType().getPackageName().equals(PasswordChangeFirst.class.getPackageName())
                        || ALWAYS.contains(method.getBeanType())
                        || !"GET".equals(request.getMethod())
                        || request.getRequestURI().equals(request.getContextPath() + PASSWORD_PAGE)) {
                    return true;
                }
                Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
                if (authentication == null || !(authentication.getPrincipal() instanceof Actor actor)
                        || !users.passwordChangeRequired(actor.userId())) {
                    return true;
                }
                if (request.getHeader("HX-Request") != null) {
                    response.setHeader("HX-Redirect", request.getContextPath() + PASSWORD_PAGE);
                    response.setStatus(HttpStatus.NO_CONTENT.value());
                } else {
                    response.sendRedirect(request.getContextPath() + PASSWORD_PAGE);
                }
                return false;
            }
        });
    }
}
