package io.tokenledger.app.config;

import static io.tokenledger.api.SettingCheck.atLeast;
import static io.tokenledger.api.SettingCheck.between;
import static io.tokenledger.api.SettingCheck.positive;
import static io.tokenledger.api.SettingCheck.require;

import io.tokenledger.api.PageParams;
import io.tokenledger.app.roles.Roles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The {@code tokenledger.*} settings of the application itself; those the modules read are theirs
 * ({@code QueryProperties}: sessions, last uses, the credential cache, live streams; {@code TokenProperties};
 * {@code ConsoleAddress}; {@code NotificationProperties}). The README lists each property with its default. Each
 * record checks its values as it is bound, so a bad value stops the start with a message naming the property.
 * The embedded PostgreSQL and SMTP capture, and the roles, are read before the application context exists, by
 * {@link #bind} from the environment.
 *
 * @param dataDir          where the embedded PostgreSQL keeps its data
 * @param roles            which of command, query, notifier this instance runs
 * @param bootstrapAdmin   the first administrator, created at first start
 * @param embeddedPostgres the PostgreSQL started when no datasource URL is configured
 * @param embeddedSmtp     the SMTP capture started when no SMTP server is configured
 * @param health           when health reports a problem, and how often it and the gauges read the database
 * @param http             limits on what a request may send
 * @param login            how failed logins are throttled
 * @param securityEvents   how failed logins, refused tokens and denied requests are counted into audit events
 * @param eventStore       how the event store looks for events other instances stored
 * @param console          the web console's lists
 * @param metrics          Prometheus's own port
 * @param oauth            the OAuth 2.0 endpoints for resource servers: the issuer they are told
 * @param leakReports      how often secret scanners may report leaked tokens
 */
@ConfigurationProperties("tokenledger")
public record TokenLedgerProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue({"command", "query", "notifier"}) Set<String> roles,
        @DefaultValue BootstrapAdmin bootstrapAdmin,
        @DefaultValue EmbeddedPostgres embeddedPostgres,
        @DefaultValue EmbeddedSmtp embeddedSmtp,
        @DefaultValue Health health,
        @DefaultValue Http http,
        @DefaultValue Login login,
        @DefaultValue SecurityEventSettings securityEvents,
        @DefaultValue EventStore eventStore,
        @DefaultValue Console console,
        @DefaultValue Metrics metrics,
        @DefaultValue OAuth oauth,
        @DefaultValue LeakReports leakReports) {

    public TokenLedgerProperties {
        Roles.parse(String.join(",", roles));
    }

    /**
     * The leaked-credentials report of secret scanners ({@code POST /api/credentials/revoke}), open to anyone.
     *
     * @param maxPerMinute reports one client address may make per minute on an instance; the next is a 429
     */
    public record LeakReports(@DefaultValue("60") int maxPerMinute) {
        public LeakReports {
            require(maxPerMinute > 0, "tokenledger.leak-reports.max-per-minute must be at least 1, was " + maxPerMinute);
        }
    }

    /**
     * The OAuth 2.0 endpoints (introspection, revocation, RFC 8414 metadata).
     *
     * @param issuer the issuer identifier introspection answers ({@code iss}) and the metadata names, the public base
     *               address of Token Ledger; unset: {@code tokenledger.console-url}
     */
    public record OAuth(String issuer) {
    }

    /**
     * The issuer identifier: {@code tokenledger.oauth.issuer}, else the console's address, without a final slash.
     */
    public String issuer(String consoleUrl) {
        String issuer = oauth.issuer() == null || oauth.issuer().isBlank() ? consoleUrl : oauth.issuer().strip();
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    /** The settings as they stand in the environment, for what starts before the application context. */
    public static TokenLedgerProperties bind(Environment environment) {
        return Binder.get(environment).bindOrCreate("tokenledger", TokenLedgerProperties.class);
    }

    /** The roles this instance runs. */
    public Set<Roles> instanceRoles() {
        return Roles.parse(String.join(",", roles));
    }

    /**
     * The first administrator, created at first start.
     *
     * @param username its username
     * @param password its password; when unset one is generated and printed once
     * @param email    its e-mail address
     */
    public record BootstrapAdmin(@DefaultValue("admin") String username, String password,
                                 @DefaultValue("admin@localhost") String email) {
        public BootstrapAdmin {
            require(username != null && !username.isBlank(), "tokenledger.bootstrap-admin.username must not be empty");
        }

        @Override
        public String toString() {
            return "BootstrapAdmin[username=" + username + ", email=" + email + "]";
        }
    }

    /**
     * The embedded PostgreSQL, for trying out: started when no {@code spring.datasource.url} is set.
     *
     * @param enabled start it when no datasource URL is set
     * @param fsync   PostgreSQL's {@code fsync} ({@code on}; the tests run with {@code off})
     * @param preload PostgreSQL's {@code shared_preload_libraries} (empty; the benchmark's census sets
     *                {@code pg_stat_statements})
     */
    public record EmbeddedPostgres(@DefaultValue("true") boolean enabled, @DefaultValue("on") String fsync,
                                   @DefaultValue("") String preload) {
        public EmbeddedPostgres {
            require("on".equals(fsync) || "off".equals(fsync),
                    "tokenledger.embedded-postgres.fsync must be on or off, was " + fsync);
            require(preload.matches("[A-Za-z0-9_, ]*"),
                    "tokenledger.embedded-postgres.preload must be a comma-separated list of library names, was "
                            + preload);
        }
    }

    /**
     * The SMTP capture, for trying out: started on 127.0.0.1 when no {@code spring.mail.host} is set.
     *
     * @param enabled start it when no mail host is set
     * @param port    its port (0 picks a free one)
     */
    public record EmbeddedSmtp(@DefaultValue("true") boolean enabled, @DefaultValue("3025") int port) {
        public EmbeddedSmtp {
            between("tokenledger.embedded-smtp.port", port, 0, 65535);
        }
    }
    /**
     * Failed logins, counted before each password check. Each count is kept until {@code failureWindow} has passed
     * since its last failure.
     *
     * @param maxFailuresPerUser          failures of one username from any client after which each further attempt
     *                                    waits a delay that doubles with each failure, from {@code firstDelay} up to
     *                                    {@code maxDelay}: guessing from many addresses slows down, the owner waits
     *                                    at most {@code maxDelay}
     * @param maxFailuresPerUserAndClient failures of one username from one client address after which that pair is
     *                                    refused (429) until the window has passed: the guesser is stopped, the owner
     *                                    on another client is not
     * @param maxFailuresPerClient        failures from one client address, whatever the username, after which it is
     *                                    refused until the window has passed
     * @param failureWindow               how long failures count, from the last failure
     * @param firstDelay                  the first delay of a username that passed {@code maxFailuresPerUser}
     * @param maxDelay                    the cap of those delays
     */
    public record Login(@DefaultValue("10") int maxFailuresPerUserAndClient, @DefaultValue("10") int maxFailuresPerUser,
                        @DefaultValue("100") int maxFailuresPerClient, @DefaultValue("15m") Duration failureWindow,
                        @DefaultValue("1s") Duration firstDelay, @DefaultValue("1m") Duration maxDelay) {
        public Login {
            atLeast("tokenledger.login.max-failures-per-user-and-client", maxFailuresPerUserAndClient, 1);
            atLeast("tokenledger.login.max-failures-per-user", maxFailuresPerUser, 1);
            atLeast("tokenledger.login.max-failures-per-client", maxFailuresPerClient, 1);
            positive("tokenledger.login.failure-window", failureWindow);
            positive("tokenledger.login.first-delay", firstDelay);
            positive("tokenledger.login.max-delay", maxDelay);
            require(maxDelay.compareTo(firstDelay) >= 0, "tokenledger.login.max-delay must not be shorter than "
                    + "tokenledger.login.first-delay, was " + maxDelay + " < " + firstDelay);
        }
    }

    /**
     * Thresholds of the health components and the age of the database readings behind them and the gauges.
     *
     * @param maxProcessorLag events a processor may trail the event store's head before {@code eventProcessors}
     *                        is DOWN; unset: lag is reported, never failed on (a replay trails by design)
     * @param overdueGrace    how long a deadline or an e-mail may be due before it counts as overdue
     * @param maxOverdue      how long the oldest overdue deadline or e-mail may wait before {@code deadlines}
     *                        or {@code outbox} is DOWN
     * @param readingTtl      how long one database reading (head, backlogs, outbox) serves health and scrapes
     */
    public record Health(Long maxProcessorLag, @DefaultValue("1m") Duration overdueGrace,
                         @DefaultValue("15m") Duration maxOverdue, @DefaultValue("5s") Duration readingTtl) {
        public Health {
            if (maxProcessorLag != null) {
                atLeast("tokenledger.health.max-processor-lag", maxProcessorLag, 0);
            }
            positive("tokenledger.health.overdue-grace", overdueGrace);
            positive("tokenledger.health.max-overdue", maxOverdue);
            positive("tokenledger.health.reading-ttl", readingTtl);
        }
    }

    /**
     * Limits on requests.
     *
     * @param maxBodySize the largest request body accepted, of any endpoint and any caller; a larger one is answered
     *                    413 before it is read
     */
    public record Http(@DefaultValue("64KB") DataSize maxBodySize) {
        public Http {
            require(maxBodySize.toBytes() > 0, "tokenledger.http.max-body-size must be positive (such as 64KB), was "
                    + maxBodySize);
        }
    }

    /**
     * Security events (failed logins, lock-outs, refused tokens, denied requests) of known users and tokens, stored
     * as audit events: each instance counts them in memory and stores what it counted every {@code interval}, one
     * event per kind, reason, user or token, client address (and method and path) with the count, so that a flood
     * of attempts stores a few events an interval rather than one per attempt.
     *
     * @param interval       how often the counts are stored, and so the longest an event waits to be stored
     * @param maxPerInterval the most events an instance stores an interval; attempts beyond it are still logged and
     *                       counted in the metrics
     */
    public record SecurityEventSettings(@DefaultValue("1m") Duration interval,
                                        @DefaultValue("1000") int maxPerInterval) {
        public SecurityEventSettings {
            positive("tokenledger.security-events.interval", interval);
            atLeast("tokenledger.security-events.max-per-interval", maxPerInterval, 1);
        }
    }

    /**
     * The event store.
     *
     * @param fetchDelay how often an instance polls for events other instances stored (bounds cross-instance
     *                   propagation)
     */
    public record EventStore(@DefaultValue("100ms") Duration fetchDelay) {
        public EventStore {
            positive("tokenledger.event-store.fetch-delay", fetchDelay);
        }
    }

    /**
     * The web console.
     *
     * @param pageSize rows per page of the console's long lists (User Tokens, Faults)
     */
    public record Console(@DefaultValue("50") int pageSize) {
        public Console {
            between("tokenledger.console.page-size", pageSize, 1, PageParams.MAX_SIZE);
        }
    }

    /**
     * Prometheus's scrape.
     *
     * @param port a port on which {@code GET /actuator/prometheus} answers without a token, and nothing else is
     *             served; unset: none (the metrics are then for admins, on the API's port)
     */
    public record Metrics(Integer port) {
        public Metrics {
            if (port != null) {
                between("tokenledger.metrics.port", port, 0, 65535);
            }
        }
    }
}
