package io.tokenledger.app.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses media types Spring MVC cannot work with, with a problem instead of its server error or empty answer: a
 * wildcard Content-Type ({@code application/*}; a body must say what it is) is a 415, an Accept header that is no
 * list of media types is a 400. Runs after authentication, so an unauthenticated caller still gets its 401 first.
 */
@Component
class MediaTypeCheck extends OncePerRequestFilter {
    private final Problems problems;

    MediaTypeCheck(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isWildcard(request.getContentType())) {
            problems.write(request, response, Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "the Content-Type must name one media type, such as application/json, not a wildcard"));
            return;
        }
        for (String accept : Collections.list(request.getHeaders(HttpHeaders.ACCEPT))) {
            try {
                MediaType.parseMediaTypes(accept);
            } catch (InvalidMediaTypeException e) {
                problems.write(request, response, Problems.of(HttpStatus.BAD_REQUEST, "malformed-request",
                        "the Accept header must be a list of media types, such as application/json"));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean isWildcard(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            // Not a media type at all: Spring MVC answers that with 415 itself.
            return false;
        }
    }
}
