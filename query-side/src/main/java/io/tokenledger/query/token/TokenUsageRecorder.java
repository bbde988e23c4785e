package io.tokenledger.query.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenledger.api.token.ReportRotatedTokenReuse;
import io.tokenledger.api.PrintableText;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.query.PeriodicFlush;
import io.tokenledger.query.QueryProperties;
import io.tokenledger.query.credential.Credential;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A token's last use, when and from where it last authenticated a request. A use is telemetry, not a change of the
 * token, so it is no event: whichever instance sees a use notes it in memory, at most once per token per
 * {@code tokenledger.usage.record-interval} (a login session's at least ten times per idle timeout), and writes what it noted into {@code token_usage} every
 * {@code tokenledger.usage.flush-interval}, in one upsert per batch, off the request path. The upsert only moves a
 * last use forward, so instances writing the same token in any order agree, and no instance needs another to
 * record for it. A flush that fails (the database away) keeps its uses for the next one and touches no request.
 * Only token ids, times, client addresses, user agents and the public ids of introspecting clients pass through
 * here. The last use of each registered client (resource server) is noted and written alongside, into
 * {@code client_usage}.
 *
 * <p>Where a token is used: every use is also counted, in memory, against its address (client address, user agent,
 * introspecting client), and the counts are written into {@code token_address} in batched upserts: an address this
 * instance has not written yet at the next flush, a known one at most once per record interval. The 20 most recent
 * addresses of a token are kept. An address the table did not have is left for a command instance to tell the token
 * of ({@code TokenAddressAnnouncements}), which records it as an event; a request never causes one.
 *
 * <p>A token rotated with a grace period is watched more closely: each of its uses is noted (in memory, still written
 * once per flush), and a flush that wrote any checks, in one statement, whether one came after the first use of its
 * successor. Each such token not yet reported gets one db-scheduler task ({@link ReportRotatedTokenReuse#TASK}),
 * which an instance with the command role runs: it sends {@link ReportRotatedTokenReuse}, recorded once per token.
 * No request waits for any of it.
 */
@Component
public class TokenUsageRecorder extends PeriodicFlush {
    /** Uses written by one statement; a flush with more pending writes further batches. */
    static final int BATCH = 1_000;
    /** Most uses held while the database cannot take them; further ones are dropped. */
    static final int MAX_PENDING = 100_000;
    /**
     * A login session's use is noted at least this many times per idle timeout, so that an instance reading it sees
     * the session's last use at most a tenth of the idle timeout late.
     */
    static final int SESSION_NOTES_PER_IDLE_TIMEOUT = 10;
    private static final Logger log = LoggerFactory.getLogger(TokenUsageRecorder.class);
    private static final String UPSERT = """
            INSERT INTO token_usage (token_id, last_used_at, last_used_ip, last_used_client, first_used_at)
            SELECT u.*, u.at FROM unnest(?::uuid[], ?::timestamptz[], ?::varchar[], ?::varchar[]) AS u(id, at, ip, client)
            ON CONFLICT (token_id) DO UPDATE SET last_used_at = excluded.last_used_at, last_used_ip = excluded.last_used_ip,
                last_used_client = excluded.last_used_client
            WHERE token_usage.last_used_at < excluded.last_used_at""";
    /**
     * The rotating tokens among a batch's uses that were used after their successor's first use and are not reported
     * yet: one task each, once (a task already waiting is left as it is).
     */
    private static final String REUSES = """
            INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version, consecutive_failures)
            SELECT DISTINCT ?, c.token_id::text, now(), false, 1, 0
            FROM unnest(?::uuid[], ?::timestamptz[]) AS u(token_id, used_at)
            JOIN credential c ON c.token_id = u.token_id
            JOIN token_usage s ON s.token_id = c.superseded_by
            WHERE c.status = 'ROTATING' AND NOT c.reuse_reported AND s.first_used_at < u.used_at
            ON CONFLICT (task_name, task_instance) DO NOTHING""";
    /** Addresses kept per token, the most recently used. */
    public static final int ADDRESSES_KEPT = 20;
    /** Longest user agent stored; the rest is cut off. */
    public static final int MAX_USER_AGENT = 200;
    /** Most addresses counted in memory at once; uses from further new ones are not counted. */
    static final int MAX_ADDRESSES = 200_000;
    private static final String ADDRESS_UPSERT = """
            INSERT INTO token_address AS a (token_id, ip, user_agent, client, first_seen_at, last_seen_at, use_count,
                                            announced)
            SELECT * FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[],
                                 ?::timestamptz[], ?::bigint[], ?::boolean[])
            ON CONFLICT (token_id, ip, user_agent, client) DO UPDATE SET
                first_seen_at = least(a.first_seen_at, excluded.first_seen_at),
                last_seen_at = greatest(a.last_seen_at, excluded.last_seen_at),
                use_count = a.use_count + excluded.use_count
            RETURNING a.token_id, (a.xmax = 0) AS inserted""";
    /** A token's addresses beyond the most recent ones, once the token has been told of them. */
    private static final String ADDRESS_PRUNE = """
            DELETE FROM token_address a USING (
                SELECT token_id, ip, user_agent, client FROM (
                    SELECT token_id, ip, user_agent, client, announced,
                           row_number() OVER (PARTITION BY token_id ORDER BY last_seen_at DESC) AS n
                    FROM token_address WHERE token_id = ANY (?::uuid[])) ranked
                WHERE ranked.n > %d AND ranked.announced) old
            WHERE a.token_id = old.token_id AND a.ip = old.ip AND a.user_agent = old.user_agent
              AND a.client = old.client""".formatted(ADDRESSES_KEPT);
    private static final String CLIENT_UPSERT = """
            INSERT INTO client_usage (client_id, last_used_at)
            SELECT * FROM unnest(?::uuid[], ?::timestamptz[])
            ON CONFLICT (client_id) DO UPDATE SET last_used_at = excluded.last_used_at
            WHERE client_usage.last_used_at < excluded.last_used_at""";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration flushInterval;
    private final Cache<UUID, Boolean> noted;
    /** Login sessions' uses, noted more often: another instance reads them to tell an idle session. */
    private final Cache<UUID, Boolean> notedSessions;
    private final Map<UUID, Use> pending = new ConcurrentHashMap<>();
    /** Clients (resource servers) noted: their last introspection or revocation, throttled as tokens' uses are. */
    private final Cache<UUID, Boolean> notedClients;
    private final Map<UUID, Instant> pendingClients = new ConcurrentHashMap<>();
    /** Uses counted per address since that address was last written. */
    private final Map<Address, Tally> addresses = new ConcurrentHashMap<>();
    private final Duration recordInterval;
    private volatile boolean failing;

    TokenUsageRecorder(JdbcTemplate jdbc, Clock clock, QueryProperties properties) {
        super("token-usage", properties.usage().flushInterval());
        Duration interval = properties.usage().recordInterval();
        Duration flushInterval = properties.usage().flushInterval();
        Duration idleTimeout = properties.session().idleTimeout();
        this.jdbc = jdbc;
        this.clock = clock;
        this.flushInterval = flushInterval;
        this.recordInterval = interval;
        this.noted = Caffeine.newBuilder().expireAfterWrite(interval).maximumSize(200_000).build();
        this.notedClients = Caffeine.newBuilder().expireAfterWrite(interval).maximumSize(10_000).build();
        Duration sessionInterval = idleTimeout.dividedBy(SESSION_NOTES_PER_IDLE_TIMEOUT);
        this.notedSessions = Caffeine.newBuilder()
                .expireAfterWrite(sessionInterval.compareTo(interval) < 0 ? sessionInterval : interval)
                .maximumSize(200_000).build();
    }

    private record Use(UUID tokenId, Instant at, String clientIp, String client, boolean rotating) {
        static Use later(Use a, Use b) {
            return b.at.isAfter(a.at) ? b : a;
        }
    }

    /** An address a token was used from, as received: the user agent only cut to length, not yet cleaned. */
    private record Address(UUID tokenId, String ip, String userAgent, String client) {
    }

    /**
     * Uses of one address since it was last written; changed only inside the map's {@code compute}, which holds the
     * entry's lock. {@code writtenAt} is null until this instance first wrote the address.
     */
    private static final class Tally {
        final boolean temporary;
        long count;
        Instant first;
        Instant last;
        Instant writtenAt;

        Tally(boolean temporary) {
            this.temporary = temporary;
        }

        void add(long uses, Instant from, Instant to) {
            count += uses;
            first = first == null || from.isBefore(first) ? from : first;
            last = last == null || to.isAfter(last) ? to : last;
        }
    }

    /** Uses of one address taken out of memory to be written. */
    private record Counted(Address address, boolean temporary, long count, Instant first, Instant last) {
    }

    /** Notes that the token authenticated a request from the client address; returns at once. */
    public void record(TokenId tokenId, TokenKind kind, String clientIp) {
        record(tokenId, kind, clientIp, null, null);
    }

    /**
     * Notes a use of the token of this credential, as {@link #record(TokenId, TokenKind, String, String, String)}
     * does; every use of a rotating one is noted, so that its reuse after its successor's first use is seen at the
     * next flush.
     */
    public void record(Credential credential, String clientIp, String userAgent, String client) {
        record(credential.tokenId(), credential.kind(), clientIp, userAgent, client, credential.rotating());
    }

    /**
     * Notes a use of the token: a request it authenticated from the client address with the user agent, or (with
     * {@code client}, the public id of a registered client) an introspection that found it active, from that
     * client's address. The last use is throttled alike: at most one per token per interval is noted, whichever
     * kind; every use is counted against its address. Returns at once.
     */
    public void record(TokenId tokenId, TokenKind kind, String clientIp, String userAgent, String client) {
        record(tokenId, kind, clientIp, userAgent, client, false);
    }

    private void record(TokenId tokenId, TokenKind kind, String clientIp, String userAgent, String client,
                        boolean rotating) {
        UUID id = tokenId.value();
        count(id, kind, clientIp, userAgent, client);
        Cache<UUID, Boolean> notes = kind == TokenKind.TEMPORARY ? notedSessions : noted;
        if (notes.asMap().putIfAbsent(id, Boolean.TRUE) != null && !rotating) {
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            log.debug("{} token uses wait to be written; the use of token {} is dropped", MAX_PENDING, tokenId);
            return;
        }
        pending.merge(id, new Use(id, clock.instant(), clientIp, client, rotating), Use::later);
    }

    private void count(UUID id, TokenKind kind, String clientIp, String userAgent, String client) {
        String agent = userAgent == null ? "" : userAgent.length() > MAX_USER_AGENT
                ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
        Address address = new Address(id, clientIp == null ? "" : clientIp, agent, client == null ? "" : client);
        if (addresses.size() >= MAX_ADDRESSES && !addresses.containsKey(address)) {
            return;
        }
        Instant now = clock.instant();
        addresses.compute(address, (a, tally) -> {
            Tally t = tally == null ? new Tally(kind == TokenKind.TEMPORARY) : tally;
            t.add(1, now, now);
            return t;
        });
    }

    /** Notes that a registered client authenticated (to introspect or revoke), at most once per interval. */
    public void recordClient(UUID clientId) {
        if (notedClients.asMap().putIfAbsent(clientId, Boolean.TRUE) == null) {
            pendingClients.merge(clientId, clock.instant(), (a, b) -> b.isAfter(a) ? b : a);
        }
    }

    /** Writes the uses noted so far, a batch per statement; returns how many. On failure they wait for the next. */
    synchronized int flush() {
        int written = flushClients();
        flushAddresses();
        for (int left = pending.size(); left > 0; left -= BATCH) {
            List<Use> batch = take();
            try {
                write(batch);
            } catch (RuntimeException e) {
                batch.forEach(use -> pending.merge(use.tokenId(), use, Use::later));
                throw e;
            }
            written += batch.size();
            checkReuses(batch);
        }
        return written;
    }

    /**
     * Writes the counts of addresses not yet written by this instance, and of the others once per record interval;
     * forgets addresses unused for a record interval since their last write. On failure the counts wait.
     */
    private void flushAddresses() {
        Instant now = clock.instant();
        Instant due = now.minus(recordInterval);
        List<Counted> taken = new ArrayList<>();
        for (Address address : List.copyOf(addresses.keySet())) {
            addresses.computeIfPresent(address, (a, t) -> {
                if (t.count > 0 && (t.writtenAt == null || !t.writtenAt.isAfter(due))) {
                    taken.add(new Counted(a, t.temporary, t.count, t.first, t.last));
                    t.count = 0;
                    t.first = null;
                    t.last = null;
                    t.writtenAt = now;
                    return t;
                }
                return t.count == 0 && t.writtenAt != null && !t.writtenAt.isAfter(due) ? null : t;
            });
        }
        for (int from = 0; from < taken.size(); from += BATCH) {
            List<Counted> batch = taken.subList(from, Math.min(taken.size(), from + BATCH));
            try {
                writeAddresses(batch);
            } catch (RuntimeException e) {
                taken.subList(from, taken.size()).forEach(c -> addresses.compute(c.address(), (a, tally) -> {
                    Tally t = tally == null ? new Tally(c.temporary()) : tally;
                    t.add(c.count(), c.first(), c.last());
                    t.writtenAt = null;
                    return t;
                }));
                throw e;
            }
        }
    }

    /**
     * One upsert for the batch, its addresses cleaned (two received ones may clean to the same); then the tokens that
     * gained an address drop their oldest beyond {@link #ADDRESSES_KEPT}. A login session's addresses are listed but
     * not told to the session's token.
     */
    private void writeAddresses(List<Counted> batch) {
        Map<List<Object>, Counted> cleaned = new java.util.LinkedHashMap<>();
        for (Counted c : batch) {
            Address a = c.address();
            Address clean = new Address(a.tokenId(), PrintableText.sanitized(a.ip(), 64),
                    PrintableText.sanitized(a.userAgent(), MAX_USER_AGENT), PrintableText.sanitized(a.client(), 100));
            cleaned.merge(List.of(clean.tokenId(), clean.ip(), clean.userAgent(), clean.client()),
                    new Counted(clean, c.temporary(), c.count(), c.first(), c.last()),
                    (x, y) -> new Counted(clean, x.temporary(), x.count() + y.count(),
                            x.first().isBefore(y.first()) ? x.first() : y.first(),
                            x.last().isAfter(y.last()) ? x.last() : y.last()));
        }
        List<Counted> rows = List.copyOf(cleaned.values());
        java.util.Set<String> gained = new java.util.HashSet<>();
        jdbc.query(con -> {
            var statement = con.prepareStatement(ADDRESS_UPSERT);
            statement.setArray(1, texts(con, rows.stream().map(c -> c.address().tokenId().toString())));
            statement.setArray(2, texts(con, rows.stream().map(c -> c.address().ip())));
            statement.setArray(3, texts(con, rows.stream().map(c -> c.address().userAgent())));
            statement.setArray(4, texts(con, rows.stream().map(c -> c.address().client())));
            statement.setArray(5, texts(con, rows.stream().map(c -> c.first().toString())));
            statement.setArray(6, texts(con, rows.stream().map(c -> c.last().toString())));
            statement.setArray(7, texts(con, rows.stream().map(c -> Long.toString(c.count()))));
            statement.setArray(8, texts(con, rows.stream().map(c -> Boolean.toString(c.temporary()))));
            return statement;
        }, rs -> {
            if (rs.getBoolean("inserted")) {
                gained.add(rs.getString("token_id"));
            }
        });
        if (!gained.isEmpty()) {
            jdbc.update(con -> {
                var statement = con.prepareStatement(ADDRESS_PRUNE);
                statement.setArray(1, texts(con, gained.stream()));
                return statement;
            });
        }
    }

    private int flushClients() {
        if (pendingClients.isEmpty()) {
            return 0;
        }
        Map<UUID, Instant> batch = new java.util.HashMap<>();
        for (UUID id : List.copyOf(pendingClients.keySet())) {
            Instant at = pendingClients.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        try {
            jdbc.update(con -> {
                var statement = con.prepareStatement(CLIENT_UPSERT);
                statement.setArray(1, texts(con, batch.keySet().stream().map(UUID::toString)));
                statement.setArray(2, texts(con, batch.keySet().stream().map(id -> batch.get(id).toString())));
                return statement;
            });
        } catch (RuntimeException e) {
            batch.forEach((id, at) -> pendingClients.merge(id, at, (a, b) -> b.isAfter(a) ? b : a));
            throw e;
        }
        return batch.size();
    }

    private List<Use> take() {
        List<Use> batch = new ArrayList<>();
        for (Iterator<Use> it = pending.values().iterator(); it.hasNext() && batch.size() < BATCH; ) {
            Use use = it.next();
            if (pending.remove(use.tokenId(), use)) {
                batch.add(use);
            }
        }
        return batch;
    }

    private void write(List<Use> batch) {
        if (batch.isEmpty()) {
            return;
        }
        jdbc.update(con -> {
            var statement = con.prepareStatement(UPSERT);
            statement.setArray(1, texts(con, batch.stream().map(u -> u.tokenId().toString())));
            statement.setArray(2, texts(con, batch.stream().map(u -> u.at().toString())));
            statement.setArray(3, texts(con, batch.stream().map(Use::clientIp)));
            statement.setArray(4, texts(con, batch.stream().map(Use::client)));
            return statement;
        });
    }

    /**
     * Asks for the report of each rotating token in the batch used after its successor's first use. The uses are
     * written already, and the flush goes on: should this fail, the token's next use asks again.
     */
    private void checkReuses(List<Use> batch) {
        List<Use> rotating = batch.stream().filter(Use::rotating).toList();
        if (rotating.isEmpty()) {
            return;
        }
        try {
            jdbc.update(con -> {
                var statement = con.prepareStatement(REUSES);
                statement.setString(1, ReportRotatedTokenReuse.TASK);
                statement.setArray(2, texts(con, rotating.stream().map(u -> u.tokenId().toString())));
                statement.setArray(3, texts(con, rotating.stream().map(u -> u.at().toString())));
                return statement;
            });
        } catch (RuntimeException e) {
            log.warn("Checking the uses of {} rotating tokens for a reuse failed; their next uses check again: {}",
                    rotating.size(), e.toString());
        }
    }

    private static Array texts(Connection con, Stream<String> values) throws SQLException {
        return con.createArrayOf("text", values.toArray());
    }

    @Override
    protected void flushAndLog() {
        try {
            int written = flush();
            if (failing) {
                failing = false;
                log.info("Token uses are written again ({} waiting were written)", written);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Writing the last use of {} tokens failed; retrying every {}: {}", pending.size(),
                        flushInterval, e.toString());
            } else {
                log.debug("Writing token uses failed again: {}", e.toString());
            }
            failing = true;
        }
    }
}
