package io.tokenledger.app.monitoring;

import io.tokenledger.app.config.TokenLedgerProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Prometheus's own port ({@code tokenledger.metrics.port}, off unless set): a second HTTP connector on which
 * {@code GET /actuator/prometheus} answers without a token, and every other path is a 404. Prometheus then scrapes
 * without holding anyone's token, and the port is opened to the monitoring network only, like a management port;
 * the API's port keeps serving the same metrics to admins. Which port a request came in on is the socket's own
 * (Tomcat's local port), which no forwarded header changes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class MetricsPort extends OncePerRequestFilter implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    public static final String PATH = "/actuator/prometheus";

    private final Integer port;
    private volatile Connector connector;

    MetricsPort(TokenLedgerProperties properties) {
        this.port = properties.metrics().port();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (port != null) {
            Connector metrics = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            metrics.setPort(port);
            metrics.setProperty("compression", "on");
            factory.addAdditionalConnectors(metrics);
            connector = metrics;
        }
    }

    /** The port it listens on, once started; -1 when there is none. */
    public int localPort() {
        Connector metrics = connector;
        return metrics == null ? -1 : metrics.getLocalPort();
    }

    /** Whether the request came in on the metrics port. */
    public boolean received(HttpServletRequest request) {
        Connector metrics = connector;
        return metrics != null && request.getLocalPort() == metrics.getLocalPort();
    }

    /** A scrape on the metrics port: what that port lets in without a token. */
    public boolean isScrape(HttpServletRequest request) {
        return received(request) && ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && PATH.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (received(request) && !isScrape(request)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }
}
