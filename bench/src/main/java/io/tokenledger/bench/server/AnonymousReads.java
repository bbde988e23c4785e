package io.tokenledger.bench.server;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Loaded into the application only by the benchmark (on its loader path): a GET marked
 * {@code X-Bench-Anonymous} is served without authentication by the same endpoint, so that authentication's
 * share of a request's cost can be measured. Never part of the application jar.
 */
@AutoConfiguration
public class AnonymousReads {
    public static final String HEADER = "X-Bench-Anonymous";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain benchAnonymousReads(HttpSecurity http) throws Exception {
        return http
                .securityMatcher(request -> "GET".equals(request.getMethod()) && request.getHeader(HEADER) != null)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .build();
    }
}
