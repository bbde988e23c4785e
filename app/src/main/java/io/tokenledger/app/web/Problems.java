package io.tokenledger.app.web;

import tools.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Writes RFC 9457 problem details where no controller is involved (security filters, entry points), and tells
 * the failures that mean the database is out of reach (a 503) from the rest.
 */
@Component
public class Problems {
    /** Seconds a client is asked to wait ({@code Retry-After}) while the database is out of reach. */
    public static final String DATABASE_RETRY_AFTER = "5";
    /** Causes followed at most: far more than any wrapping seen, and a bound should a chain ever loop. */
    private static final int MAX_CAUSES = 32;

    private final ObjectMapper json;

    Problems(ObjectMapper json) {
        this.json = json;
    }

    /** A problem of the given status with a short type name, e.g. {@code unauthorized}. */
    public static ProblemDetail of(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:tokenledger:problem:" + type));
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }

    /**
     * Whether the failure, or one it wraps (Spring's translation, a Hibernate or Axon wrapper around the JDBC
     * driver's exception), says the database cannot be reached now: no connection from the pool within its
     * connection-timeout, a connection refused or lost, a server shutting down or starting up, a transaction that
     * could not begin. The same request may well succeed shortly, so it is a 503, not a 500; nor may it become a
     * 401, as nothing was learnt about the token.
     */
    /** What HikariCP's stand-in for a connection it closed answers to any use. */
    private static final String HIKARI_CLOSED_CONNECTION = "Connection is closed";

    public static boolean isDatabaseUnavailable(Throwable failure) {
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessResourceException
                    || t instanceof CannotCreateTransactionException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            // SQLSTATE class 08: connection exception; 57P01-57P03: shut down by the administrator, after a crash,
            // or not accepting connections yet.
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // HikariCP closes a connection that failed with one of those states and answers every later use of it
            // with this, stateless: a caller that caught the first failure and tried again (db-scheduler looks a task
            // up after a failed insert) reports only the second.
            if (t instanceof SQLException sql && sql.getSQLState() == null
                    && HIKARI_CLOSED_CONNECTION.equals(sql.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** The 503 problem of a request that needed the database while it could not be reached. */
    public static ProblemDetail databaseUnavailable() {
        return of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                "the database cannot be reached just now; try again in a few seconds");
    }

    /** Writes {@link #databaseUnavailable()} with its {@code Retry-After}. */
    public void writeDatabaseUnavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER);
        write(request, response, databaseUnavailable());
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        try {
            problem.setInstance(URI.create(request.getRequestURI()));
        } catch (IllegalArgumentException e) {
            // A path Tomcat accepts but java.net.URI does not (e.g. with '|' or '{'): the problem goes without it.
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
