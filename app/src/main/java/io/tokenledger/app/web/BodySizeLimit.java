package io.tokenledger.app.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import io.tokenledger.app.config.TokenLedgerProperties;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body larger than {@code tokenledger.http.max-body-size} before anything reads it, for every
 * endpoint and whoever sends it, with a 413 problem; the first filter of all, ahead of authentication. A body
 * whose Content-Length says it is too large is refused unread, and the connection closed after the answer (Tomcat
 * drops up to its max-swallow-size, 2 MB, of what the client still sends, so that it reads the answer). A
 * body sent without a length (chunked) is counted as it is read and fails the read the moment it passes the limit
 * ({@link TooLarge}, answered 413 wherever it surfaces); a form is parsed by Tomcat, whose own limit
 * ({@code server.tomcat.max-http-form-post-size}) is set to the same size.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class BodySizeLimit extends OncePerRequestFilter {
    private final long limit;
    private final Problems problems;

    BodySizeLimit(TokenLedgerProperties properties, Problems problems) {
        this.limit = properties.http().maxBodySize().toBytes();
        this.problems = problems;
    }

    /** A body read past the limit. An IOException, as any failure of reading a body is to its readers. */
    public static final class TooLarge extends IOException {
        private final long limit;

        TooLarge(long limit) {
            super("request body larger than " + limit + " bytes");
            this.limit = limit;
        }

        /** The problem to answer with. */
        public ProblemDetail problem() {
            return BodySizeLimit.problem(limit);
        }

        /** Whether a failure is, or was caused by, a body read past the limit. */
        public static TooLarge in(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof TooLarge tooLarge) {
                    return tooLarge;
                }
            }
            return null;
        }
    }

    static ProblemDetail problem(long limit) {
        ProblemDetail problem = Problems.of(HttpStatus.CONTENT_TOO_LARGE, "content-too-large",
                "the request body is larger than this server accepts (" + limit + " bytes)");
        problem.setProperty("maxBytes", limit);
        return problem;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            refuse(request, response);
            return;
        }
        try {
            chain.doFilter(request.getContentLengthLong() < 0 ? new Counted(request, limit) : request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            if (TooLarge.in(e) == null || response.isCommitted()) {
                throw e;
            }
            response.reset();
            refuse(request, response);
        }
    }

    /** The rest of the body is never handed to the application, and the connection is not kept for another request. */
    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.CONNECTION, "close");
        problems.write(request, response, problem(limit));
    }

    /** A request whose body, of no declared length, may be read up to the limit and no further. */
    private static final class Counted extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Counted(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        CountingStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > limit) {
                throw new TooLarge(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
