package io.tokenledger.app;

import io.tokenledger.app.config.TokenLedgerProperties;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of the tests that run the whole application over real HTTP on the embedded PostgreSQL (one server
 * per test JVM, shared by every cached context). Tests keep apart by using fresh names, not by restarting.
 * Metrics are exported as in production, so the Prometheus endpoint is there to test.
 */
@SpringBootTest(classes = TokenLedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureMetrics
public abstract class IntegrationTest {
    public static final String ADMIN_PASSWORD = "admin-test-password";
    /** The embedded PostgreSQL's settings of the test JVM (fsync off, from the build), for tests that open it. */
    public static final TokenLedgerProperties.EmbeddedPostgres EMBEDDED_POSTGRES =
            new TokenLedgerProperties.EmbeddedPostgres(true, System.getProperty("tokenledger.embedded-postgres.fsync", "on"), "");

    @LocalServerPort
    protected int port;
    protected Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    /** A username no other test uses. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected String adminToken() {
        return api.login("admin", ADMIN_PASSWORD);
    }
}
