package io.tokenledger.app.web;

import tools.jackson.databind.exc.MismatchedInputException;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.app.security.SecurityEvents;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the REST API as RFC 9457 problem details: business rules by their reason, validation
 * with {@code errors: [{field, message}]}, a database out of reach as a 503 with {@code Retry-After}, and
 * anything unexpected as a 500 with a reference instead of a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final SecurityEvents securityEvents;

    ProblemDetailsAdvice(SecurityEvents securityEvents) {
        this.securityEvents = securityEvents;
    }

    /** One invalid input field. */
    record FieldError(String field, String message) {
    }

    @ExceptionHandler(CommandRejected.class)
    ProblemDetail rejected(CommandRejected e, HttpServletRequest request) {
        if (e.reason() == CommandRejected.Reason.FORBIDDEN) {
            securityEvents.accessDenied(request, "role");
        }
        HttpStatus status = switch (e.reason()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case CONFLICT -> HttpStatus.CONFLICT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
        };
        String type = switch (e.reason()) {
            case INVALID -> "validation";
            case CONFLICT -> "conflict";
            case NOT_FOUND -> "not-found";
            case FORBIDDEN -> "forbidden";
        };
        ProblemDetail problem = Problems.of(status, e.problem() == null ? type : e.problem().type(), e.getMessage());
        if (e.problem() != null) {
            problem.setTitle(e.problem().title());
        }
        if (e.field() != null) {
            problem.setProperty("errors", List.of(new FieldError(e.field(), e.getMessage())));
        }
        return problem;
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail notFound(AggregateNotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "the addressed resource does not exist");
    }

    @ExceptionHandler(ConcurrencyException.class)
    ProblemDetail concurrent(ConcurrencyException e) {
        return Problems.of(HttpStatus.CONFLICT, "conflict", "the resource was changed concurrently; try again");
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail denied(AccessDeniedException e, HttpServletRequest request) {
        securityEvents.accessDenied(request, "role");
        return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "your role does not allow this");
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tokenledger\"")
                .body(Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "authentication failed"));
    }

    /**
     * The firewall checks parameters when they are first read (a NUL in a value, a control character in a name),
     * which is inside the application: the same 400 as a request it refuses at the door.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ProblemDetail rejectedRequest(RequestRejectedException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "malformed-request",
                "a request parameter holds a character that is not allowed (such as NUL)");
    }

    /** A multipart body is parsed before any endpoint is chosen; one that cannot be read is the client's error. */
    /** Tomcat could not decode a form body or query's parameters (a bad percent escape, say), read for the body. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodableParameters(InvalidParameterException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "malformed-request",
                "the request's parameters cannot be decoded (a malformed percent-escape or character encoding)");
    }

    @ExceptionHandler(MultipartException.class)
    ProblemDetail unreadableMultipart(MultipartException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "the multipart request body cannot be read");
    }

    /**
     * Anything else: a 503 when the database could not be reached (whoever wrapped that failure), a 500 with a
     * reference to the log otherwise.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (Problems.isDatabaseUnavailable(e)) {
            // One line, not a stack trace per request: an outage would bury the log.
            log.warn("Database unavailable: {}", NestedExceptionUtils.getMostSpecificCause(e).toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Problems.DATABASE_RETRY_AFTER)
                    .body(Problems.databaseUnavailable());
        }
        String reference = UUID.randomUUID().toString();
        log.error("Unexpected error, reference {}", reference, e);
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "an unexpected error occurred; reference " + reference);
        problem.setProperty("reference", reference);
        return ResponseEntity.internalServerError().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldError(f.getField(), f.getDefaultMessage())).toList();
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation", "the request has invalid fields");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        BodySizeLimit.TooLarge tooLarge = BodySizeLimit.TooLarge.in(e);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                    .body(tooLarge.problem());
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-request",
                "the request body is missing, is not valid JSON, or has a value of the wrong type");
        if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            String message = mismatch.getTargetType() != null && mismatch.getTargetType().isEnum()
                    ? "must be one of " + java.util.Arrays.toString(mismatch.getTargetType().getEnumConstants())
                    : "has a value of the wrong type";
            problem.setDetail("the field '" + field + "' " + message);
            problem.setProperty("errors", List.of(new FieldError(field, message)));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * A path variable or query parameter that does not convert to its type (a UUID, a number, an enum): a
     * validation problem naming the parameter and the values it takes, never the value's Java rendering.
     */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        Class<?> type = e.getRequiredType();
        String message;
        if (type != null && type.isEnum()) {
            message = "must be one of " + java.util.Arrays.toString(type.getEnumConstants());
        } else if (type == UUID.class) {
            message = "must be a UUID";
        } else if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            message = "must be a whole number within range";
        } else if (type == Instant.class) {
            message = "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z";
        } else {
            message = "has a value of the wrong type";
        }
        if (e.getValue() != null && e.getValue().getClass().isArray()) {
            message += ", given once";
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation",
                "the parameter '" + field + "' " + message);
        problem.setProperty("errors", List.of(new FieldError(field, message)));
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
                                                                           HttpHeaders headers,
                                                                           HttpStatusCode status,
                                                                           WebRequest request) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation", "the request has invalid parameters");
        problem.setProperty("errors", e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new FieldError(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList());
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        // Spring's own problems have no type (Spring 7 leaves it unset; before, "about:blank"): name it by status.
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(java.net.URI.create("urn:tokenledger:problem:http-" + status.value()));
        }
        return super.createResponseEntity(body, headers, status, request);
    }
}
