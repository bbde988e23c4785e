package io.tokenledger.query.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenledger.api.token.ReportRotatedTokenReuse;
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
 * Only token ids, times, client addresses and the public ids of introspecting clients pass through here. The last
 * use of each registered client (resource server) is noted and written alongside, into {@code client_usage}.
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
    private volatile boolean failing;

    TokenUsageRecorder(JdbcTemplate jdbc, Clock clock, QueryProperties properties) {
        super("token-usage", properties.usage().flushInterval());
        Duration interval = properties.usage().recordInterval();
        Duration flushInterval = properties.usage().flushInterval();
        Duration idleTimeout = properties.session().idleTimeout();
        this.jdbc = jdbc;
        this.clock = clock;
        this.flushInterval = flushInterval;
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

    /** Notes that the token of this credential authenticated a request from the client address; returns at once. */
    public void record(Credential credential, String clientIp) {
        record(credential, clientIp, null);
    }

    /**
     * Notes a use of the token of this credential, as {@link #record(TokenId, TokenKind, String, String)} does; every
     * use of a rotating one is noted, so that its reuse after its successor's first use is seen at the next flush.
     */
    public void record(Credential credential, String clientIp, String client) {
        record(credential.tokenId(), credential.kind(), clientIp, client, credential.rotating());
    }

    /** Notes that the token authenticated a request from the client address; returns at once. */
    public void record(TokenId tokenId, TokenKind kind, String clientIp) {
        record(tokenId, kind, clientIp, null);
    }

    /**
     * Notes a use of the token: a request it authenticated from the client address, or (with {@code client}, the
     * public id of a registered client) an introspection that found it active, from that client's address. Throttled
     * alike: at most one use per token per interval is noted, whichever kind. Returns at once.
     */
    public void record(TokenId tokenId, TokenKind kind, String clientIp, String client) {
        record(tokenId, kind, clientIp, client, false);
    }

    private void record(TokenId tokenId, TokenKind kind, String clientIp, String client, boolean rotating) {
        UUID id = tokenId.value();
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

    /** Notes that a registered client authenticated (to introspect or revoke), at most once per interval. */
    public void recordClient(UUID clientId) {
        if (notedClients.asMap().putIfAbsent(clientId, Boolean.TRUE) == null) {
            pendingClients.merge(clientId, clock.instant(), (a, b) -> b.isAfter(a) ? b : a);
        }
    }

    /** Writes the uses noted so far, a batch per statement; returns how many. On failure they wait for the next. */
    synchronized int flush() {
        int written = flushClients();
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
