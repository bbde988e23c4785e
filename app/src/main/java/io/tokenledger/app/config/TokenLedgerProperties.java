package io.tokenledger.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code tokenledger.*}; the README lists each property with its default.
 *
 * @param dataDir        where the embedded PostgreSQL keeps its data
 * @param roles          which of command, query, notifier this instance runs
 * @param consoleUrl     the console's public address, the only link e-mails carry
 * @param bootstrapAdmin the first administrator, created at first start
 * @param session        lifetime of login sessions and their temporary tokens
 * @param usage          how often a token's last use is recorded
 * @param embeddedSmtp   the SMTP capture started when no SMTP server is configured
 */
@ConfigurationProperties("tokenledger")
public record TokenLedgerProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue({"command", "query", "notifier"}) Set<String> roles,
        @DefaultValue("http://localhost:8080") String consoleUrl,
        @DefaultValue BootstrapAdmin bootstrapAdmin,
        @DefaultValue Session session,
        @DefaultValue Usage usage,
        @DefaultValue EmbeddedSmtp embeddedSmtp) {

    /** The first administrator; a password is generated and printed once when none is configured. */
    public record BootstrapAdmin(@DefaultValue("admin") String username, String password,
                                 @DefaultValue("admin@localhost") String email) {
        @Override
        public String toString() {
            return "BootstrapAdmin[username=" + username + ", email=" + email + "]";
        }
    }

    /** A login session: absolute lifetime, idle timeout, and whether its cookie is marked Secure. */
    public record Session(@DefaultValue("12h") Duration lifetime, @DefaultValue("30m") Duration idleTimeout,
                         @DefaultValue("true") boolean secureCookie) {
    }

    /** Throttle of RecordTokenUse: at most one event per token per interval. */
    public record Usage(@DefaultValue("5m") Duration recordInterval) {
    }

    /** The SMTP capture's port on 127.0.0.1 (0 picks a free one). */
    public record EmbeddedSmtp(@DefaultValue("3025") int port) {
    }
}
