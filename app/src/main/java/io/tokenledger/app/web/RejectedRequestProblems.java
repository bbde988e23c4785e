package io.tokenledger.app.web;

import tools.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Requests that Tomcat refuses before the application sees them (a header with control characters, a request line
 * it cannot parse, an encoded NUL or slash in the path, headers beyond the size limit) are answered with problem
 * details instead of Tomcat's HTML page, never with a stack trace or the server's name.
 * A refused {@code Authorization} or {@code Cookie} header is a credential that cannot be valid, so that answer is
 * the 401 with a Bearer challenge that any other bad token gets. Tomcat says which header it refused only in its
 * exception's message, as {@code [name:value]}; the message itself is neither shown nor logged (application.yml
 * keeps Tomcat's parser quiet, since it would log the whole header line, token and all).
 */
@Component
class RejectedRequestProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    private final ObjectMapper json;

    RejectedRequestProblems(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        // After Spring Boot's own customizer, which adds a plain ErrorReportValve to the host: this one replaces it.
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ProblemValve(json));
            if (host instanceof StandardHost standard) {
                standard.setErrorReportValveClass(ProblemValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Tomcat's error report, as problem details. */
    static final class ProblemValve extends ErrorReportValve {
        private static final Pattern CREDENTIAL_HEADER = Pattern.compile("\\[\\s*(?i:authorization|cookie)\\s*:");

        private final ObjectMapper json;

        ProblemValve(ObjectMapper json) {
            this.json = json;
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable failure) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            ProblemDetail problem;
            if (failure != null && failure.getMessage() != null
                    && CREDENTIAL_HEADER.matcher(failure.getMessage()).find()) {
                response.setStatus(HttpStatus.UNAUTHORIZED.value());
                response.setHeader("WWW-Authenticate", "Bearer realm=\"tokenledger\", error=\"invalid_request\", "
                        + "error_description=\"the credentials contain characters HTTP does not allow\"");
                problem = Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                        "the Authorization header or session cookie contains characters HTTP does not allow");
            } else {
                HttpStatus known = HttpStatus.resolve(status);
                problem = Problems.of(known != null ? known : HttpStatus.BAD_REQUEST, "malformed-request",
                        "the request is not valid HTTP (a header or the request line has characters that are not "
                                + "allowed, such as an encoded NUL or slash in the path, or it is too large)");
                problem.setStatus(status);
            }
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setHeader("Cache-Control", "no-store");
                response.setHeader("X-Content-Type-Options", "nosniff");
                byte[] body = json.writeValueAsBytes(problem);
                response.setContentLength(body.length);
                OutputStream out = response.getOutputStream();
                out.write(body);
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response cannot take a body: the status alone must do.
            }
        }
    }
}
