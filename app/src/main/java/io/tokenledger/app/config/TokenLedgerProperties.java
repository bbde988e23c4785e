package io.tokenledger.app.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code tokenledger.*}; the README lists each property with its default.
 *
 * @param dataDir        where the embedded PostgreSQL keeps its data
 * @param roles          which of command, query, notifier this instance runs
 * @param consoleUrl     the console's public address, the only link e-mails carry
 * @param bootstrapAdmin the first administrator, created at first start
 * @param session        lifetime of login sessions and their temporary tokens
 * @param usage          how often a token's last use is noted and written
 * @param embeddedSmtp   the SMTP capture started when no SMTP server is configured
 * @param health         when health reports a problem, and how often it and the gauges read the database
 * @param http           limits on what a request may send
 * @param login          how failed logins are throttled
 * @param stream         live event streams: how many a user may hold, how often they beat
 * @param securityEvents how failed logins, refused tokens and denied requests are counted into audit events
 * @param oauth          the OAuth 2.0 endpoints for resource servers: the issuer they are told
 * @param leakReports    how often secret scanners may report leaked tokens
 */
@ConfigurationProperties("tokenledger")
public record TokenLedgerProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue({"command", "query", "notifier"}) Set<String> roles,
        @DefaultValue("http://localhost:8080") String consoleUrl,
        @DefaultValue BootstrapAdmin bootstrapAdmin,
        @DefaultValue Session session,
        @DefaultValue Usage usage,
        @DefaultValue EmbeddedSmtp embeddedSmtp,
        @DefaultValue Health health,
        @DefaultValue Http http,
        @DefaultValue Login login,
        @DefaultValue Stream stream,
        @DefaultValue SecurityEventSettings securityEvents,
        @DefaultValue OAuth oauth,
        @DefaultValue LeakReports leakReports) {

    /**
     * The leaked-credentials report of secret scanners ({@code POST /api/credentials/revoke}), open to anyone.
     *
     * @param maxPerMinute reports one client address may make per minute on an instance; the next is a 429
     */
    public record LeakReports(@DefaultValue("60") int maxPerMinute) {
    }

    /**
     * The OAuth 2.0 endpoints (introspection, revocation, RFC 8414 metadata).
     *
     * @param issuer the issuer identifier introspection answers ({@code iss}) and the metadata names, the public base
     *               address of Token Ledger; unset: {@code tokenledger.console-url}
     */
    public record OAuth(String issuer) {
    }

    /** The issuer identifier: {@code tokenledger.oauth.issuer}, else the console's address, without a final slash. */
    public String issuer() {
        String issuer = oauth.issuer() == null || oauth.issuer().isBlank() ? consoleUrl : oauth.issuer().strip();
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    /** The first administrator; a password is generated and printed once when none is configured. */
    public record BootstrapAdmin(@DefaultValue("admin") String username, String password,
                                 @DefaultValue("admin@localhost") String email) {
        @Override
        public String toString() {
            return "BootstrapAdmin[username=" + username + ", email=" + email + "]";
        }
    }

    /**
     * Failed logins, counted before each password check. Each count is kept until {@code failureWindow} has passed
     * since its last failure.
     *
     * @param maxFailuresPerUserAndClient failures of one username from one client address after which that pair is
     *                                    refused (429) until the window has passed: the guesser is stopped, the owner
     *                                    on another client is not
     * @param maxFailuresPerUser          failures of one username from any client after which each further attempt
     *                                    waits a delay that doubles with each failure, from {@code firstDelay} up to
     *                                    {@code maxDelay}: guessing from many addresses slows down, the owner waits
     *                                    at most {@code maxDelay}
     * @param maxFailuresPerClient        failures from one client address, whatever the username, after which it is
     *                                    refused until the window has passed
     */
    public record Login(@DefaultValue("10") int maxFailuresPerUserAndClient, @DefaultValue("10") int maxFailuresPerUser,
                        @DefaultValue("100") int maxFailuresPerClient, @DefaultValue("15m") Duration failureWindow,
                        @DefaultValue("1s") Duration firstDelay, @DefaultValue("1m") Duration maxDelay) {
    }

    /** A login session: absolute lifetime, idle timeout, and whether its cookie is marked Secure. */
    public record Session(@DefaultValue("12h") Duration lifetime, @DefaultValue("30m") Duration idleTimeout,
                         @DefaultValue("true") boolean secureCookie) {
    }

    /**
     * A token's last use: noted at most once per token per {@code recordInterval} on each instance, and written to
     * the database every {@code flushInterval}, off the request path.
     */
    public record Usage(@DefaultValue("5m") Duration recordInterval, @DefaultValue("1s") Duration flushInterval) {
    }

    /** The SMTP capture's port on 127.0.0.1 (0 picks a free one). */
    public record EmbeddedSmtp(@DefaultValue("3025") int port) {
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
    }

    /**
     * Limits on requests.
     *
     * @param maxBodySize the largest request body accepted, of any endpoint and any caller; a larger one is answered
     *                    413 before it is read
     */
    public record Http(@DefaultValue("64KB") DataSize maxBodySize) {
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
    }

    /**
     * Live event streams ({@code /api/stream/tokens}), read by the query side's {@code LiveStreams}.
     *
     * @param maxPerUser the most streams one user may hold open on an instance; one more is answered 429
     * @param heartbeat  how often each open stream gets a comment line, and its listener's authority is checked
     */
    public record Stream(@DefaultValue("5") int maxPerUser, @DefaultValue("15s") Duration heartbeat) {
    }
}
