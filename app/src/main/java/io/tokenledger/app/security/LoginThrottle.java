package io.tokenledger.app.security;

import io.tokenledger.api.user.Usernames;
import io.tokenledger.app.config.TokenLedgerProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Limits password guessing, counting each attempt as a failure <em>before</em> its password is checked (and taking it
 * back when it succeeds), so that concurrent guesses cannot all pass one check before any of them is counted. Three
 * counts, kept in the database for every instance alike, each until the window has passed since its last failure:
 * <ul>
 *     <li>a username from one client address: refused (429) after {@code maxFailuresPerUserAndClient} until the
 *     window has passed, so a guesser is stopped without locking the owner out of their own client;</li>
 *     <li>a username from any client: after {@code maxFailuresPerUser}, each further attempt must wait a delay that
 *     doubles with every failure, up to {@code maxDelay}, so guessing from many addresses slows to a crawl while the
 *     owner waits at most that long;</li>
 *     <li>a client address, whatever the username: refused after {@code maxFailuresPerClient}.</li>
 * </ul>
 * Usernames are counted in their canonical form ({@link Usernames}), the one a login looks the user up by. A refusal
 * says how long the wait still is. Keys are SHA-256 hashes: the table never holds what someone typed.
 */
@Component
public class LoginThrottle {
    private static final Duration CLEAN_EVERY = Duration.ofMinutes(1);

    private final TokenLedgerProperties.Login limits;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AtomicReference<Instant> cleaned = new AtomicReference<>(Instant.EPOCH);

    LoginThrottle(TokenLedgerProperties properties, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                  Clock clock) {
        this.limits = properties.login();
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** The three counts of an attempt, in a fixed order (rows are locked in key order). */
    private record Keys(String pair, String user, String client) {
        List<String> sorted() {
            return List.of(pair, user, client).stream().sorted().toList();
        }
    }

    private record Failures(int count, Instant last) {
    }

    /** An attempt, counted as failed unless {@link #succeeded()} is called. */
    public final class Attempt {
        private final Keys keys;

        private Attempt(Keys keys) {
            this.keys = keys;
        }

        /** The password was right: its user's counts start again, the client's loses this attempt. */
        public void succeeded() {
            // one statement, locking the rows in key order as an attempt does
            jdbc.update("""
                    UPDATE login_throttle SET failures = CASE WHEN key = ? THEN greatest(failures - 1, 0) ELSE 0 END
                    WHERE key IN (?, ?, ?)""", keys.client(), keys.pair(), keys.user(), keys.client());
        }
    }

    /**
     * Counts an attempt as failed, unless one of its counts says to wait.
     *
     * @throws TooManyAttempts with the longest wait of the three
     */
    Attempt begin(String username, String client) {
        String user = Usernames.canonical(username);
        Keys keys = new Keys(key("pair", user + "\n" + client), key("user", user), key("client", client));
        Instant now = clock.instant();
        cleanUp(now);
        tx.executeWithoutResult(status -> {
            // one statement makes the three rows exist and locks them until the count is decided
            List<String> sorted = keys.sorted();
            Map<String, Failures> counts = jdbc.query("""
                            INSERT INTO login_throttle AS t (key, failures, last_failure)
                            VALUES (?, 0, ?), (?, 0, ?), (?, 0, ?)
                            ON CONFLICT (key) DO UPDATE SET failures = t.failures
                            RETURNING key, failures, last_failure""",
                    (rs, i) -> Map.entry(rs.getString(1),
                            new Failures(rs.getInt(2), rs.getTimestamp(3).toInstant())),
                    sorted.get(0), Timestamp.from(now), sorted.get(1), Timestamp.from(now), sorted.get(2),
                    Timestamp.from(now)).stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            Map<String, Duration> waits = Map.of(
                    TooManyAttempts.USER_AND_CLIENT,
                    lockedOut(counts.get(keys.pair()), limits.maxFailuresPerUserAndClient(), now),
                    TooManyAttempts.USER, delayed(counts.get(keys.user()), now),
                    TooManyAttempts.CLIENT, lockedOut(counts.get(keys.client()), limits.maxFailuresPerClient(), now));
            Map.Entry<String, Duration> longest = waits.entrySet().stream().max(Map.Entry.comparingByValue())
                    .orElseThrow();
            if (!longest.getValue().isNegative() && !longest.getValue().isZero()) {
                throw new TooManyAttempts(longest.getValue(), longest.getKey());
            }
            jdbc.update("""
                    UPDATE login_throttle
                    SET failures = CASE WHEN last_failure <= ? THEN 1 ELSE failures + 1 END, last_failure = ?
                    WHERE key IN (?, ?, ?)""",
                    Timestamp.from(now.minus(limits.failureWindow())), Timestamp.from(now), keys.pair(), keys.user(),
                    keys.client());
        });
        return new Attempt(keys);
    }

    /** Failures that still count: those whose last one is within the window. */
    private int counting(Failures f, Instant now) {
        return f == null || !now.isBefore(f.last().plus(limits.failureWindow())) ? 0 : f.count();
    }

    private Duration lockedOut(Failures f, int max, Instant now) {
        return counting(f, now) < max ? Duration.ZERO : Duration.between(now, f.last().plus(limits.failureWindow()));
    }

    /** The growing delay of a username: none for the first failures, then first-delay × 2^(n − max), capped. */
    private Duration delayed(Failures f, Instant now) {
        int over = counting(f, now) - limits.maxFailuresPerUser();
        if (over < 0) {
            return Duration.ZERO;
        }
        Duration delay = limits.maxDelay();
        if (over < 30) {
            Duration doubled = limits.firstDelay().multipliedBy(1L << over);
            delay = doubled.compareTo(delay) < 0 ? doubled : delay;
        }
        return Duration.between(now, f.last().plus(delay));
    }

    /** At most once a minute per instance: counts whose window has passed are forgotten. */
    private void cleanUp(Instant now) {
        Instant last = cleaned.get();
        if (now.isAfter(last.plus(CLEAN_EVERY)) && cleaned.compareAndSet(last, now)) {
            Duration keep = limits.failureWindow().compareTo(limits.maxDelay()) >= 0 ? limits.failureWindow()
                    : limits.maxDelay();
            jdbc.update("DELETE FROM login_throttle WHERE last_failure < ?", Timestamp.from(now.minus(keep)));
        }
    }

    private static String key(String kind, String value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((kind + ":" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Too many failed logins; carries how long to wait, and which count said so. */
    public static class TooManyAttempts extends RuntimeException {
        /** The username from this client failed too often. */
        static final String USER_AND_CLIENT = "user_and_client";
        /** The username failed too often from any client: the growing delay. */
        static final String USER = "user";
        /** This client failed too often, whatever the username. */
        static final String CLIENT = "client";

        private final Duration retryAfter;
        private final String limit;

        TooManyAttempts(Duration retryAfter, String limit) {
            super("too many failed logins; try again later", null, false, false);
            this.retryAfter = retryAfter;
            this.limit = limit;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        /** Which count refused the attempt: {@code user_and_client}, {@code user} or {@code client}. */
        public String limit() {
            return limit;
        }

        /** The wait in whole seconds, rounded up (a {@code Retry-After} of 0 would invite a retry too soon). */
        public long retryAfterSeconds() {
            long seconds = retryAfter.toSeconds();
            return retryAfter.equals(Duration.ofSeconds(seconds)) ? Math.max(1, seconds) : seconds + 1;
        }
    }
}
