package io.tokenledger.command.token;

import io.tokenledger.api.audit.AuditMetadata;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.WarnOfInactivity;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.settings.CurrentSettings;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The inactivity policy ({@code Revoke Permanent Tokens Unused For Days}): an active permanent token, a service
 * account's too, unused for that many days (its last use, or its creation when never used) is revoked with reason
 * {@code INACTIVE}, and warned {@link #WARNING_LEAD} before, once per period of disuse. Run once a day by
 * {@code InactivityTask}; which tokens are due is read here, set-based and a chunk at a time, for the run and for a
 * preview of a change of the key alike. Revocations and warnings go through the Token aggregate, each audited.
 */
@CommandRole
@Component
public class InactiveTokens {
    /** How long before its revocation a token is warned (less when the policy is shorter: a day after its use). */
    public static final Duration WARNING_LEAD = Duration.ofDays(7);
    /** Tokens read per statement. */
    static final int CHUNK = 1_000;
    /**
     * Commands of a run sent at once, each for another token: a revocation mostly waits on its commit, so several
     * in flight share PostgreSQL's flushes (as db-scheduler's threads do for deadlines, see docs/performance.md).
     */
    static final int IN_FLIGHT = 8;
    private static final Logger log = LoggerFactory.getLogger(InactiveTokens.class);
    /** Below every id in PostgreSQL's order of uuids (bytewise, unsigned). */
    public static final UUID FIRST = new UUID(0, 0);
    private static final Map<String, String> SYSTEM = Map.of(AuditMetadata.ACTOR_ID, AuditMetadata.SYSTEM,
            AuditMetadata.ACTOR_USERNAME, AuditMetadata.SYSTEM, AuditMetadata.ACTOR_ROLE, AuditMetadata.SYSTEM,
            AuditMetadata.DEADLINE, InactivityTask.TASK);
    /** Active permanent tokens and when their current period of disuse began. */
    private static final String UNUSED = """
            SELECT a.token_id, coalesce(u.last_used_at, a.created_at) AS unused_since
            FROM active_token_of_user a LEFT JOIN token_usage u ON u.token_id = a.token_id
            WHERE a.kind = 'PERMANENT'""";
    private static final String DUE = UNUSED + " AND coalesce(u.last_used_at, a.created_at) <= ?";
    private static final String TO_WARN = UNUSED + """
             AND coalesce(u.last_used_at, a.created_at) <= ? AND coalesce(u.last_used_at, a.created_at) > ?
              AND NOT EXISTS (SELECT 1 FROM inactivity_warning w WHERE w.token_id = a.token_id
                              AND w.unused_since = coalesce(u.last_used_at, a.created_at))""";

    private final JdbcTemplate jdbc;
    private final CurrentSettings settings;
    private final ObjectProvider<CommandGateway> commands;

    InactiveTokens(JdbcTemplate jdbc, CurrentSettings settings, ObjectProvider<CommandGateway> commands) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.commands = commands;
    }

    /** A token and the start of its current period of disuse. */
    public record Unused(UUID tokenId, Instant unusedSince) {
    }

    /**
     * What a run at {@code now} under a policy of {@code days} acts on: tokens unused since {@code revokeUpTo} or
     * before are revoked, the others unused since {@code warnUpTo} or before are warned.
     */
    public record Window(int days, Instant now, Instant revokeUpTo, Instant warnUpTo) {
        public static Window of(int days, Instant now) {
            Duration limit = Duration.ofDays(days);
            Duration lead = WARNING_LEAD.compareTo(limit.minusDays(1)) < 0 ? WARNING_LEAD : limit.minusDays(1);
            return new Window(days, now, now.minus(limit), now.minus(limit).plus(lead));
        }

        /** When a token unused since {@code unusedSince} is revoked unless used before. */
        public Instant revokeAt(Instant unusedSince) {
            return unusedSince.plus(Duration.ofDays(days));
        }
    }

    /** The first daily run after {@code now}: the task runs at {@code InactivityTask.AT} UTC. */
    public static Instant nextRun(Instant now) {
        java.time.ZonedDateTime today = now.atZone(java.time.ZoneOffset.UTC).with(InactivityTask.AT);
        return (today.toInstant().isAfter(now) ? today : today.plusDays(1)).toInstant();
    }

    /** The policy in force, if set. */
    public Optional<Integer> days() {
        return settings.value(SettingKey.INACTIVITY_DAYS).map(Integer::parseInt);
    }

    /** Up to {@code limit} tokens the window revokes, after {@code after} in id order. */
    public List<Unused> due(Window window, UUID after, int limit) {
        return jdbc.query(DUE + " AND a.token_id > ? ORDER BY a.token_id LIMIT ?", InactiveTokens::unused,
                Timestamp.from(window.revokeUpTo()), after, limit);
    }

    /** Up to {@code limit} tokens the window warns (not yet warned of this period of disuse), after {@code after}. */
    public List<Unused> toWarn(Window window, UUID after, int limit) {
        return jdbc.query(TO_WARN + " AND a.token_id > ? ORDER BY a.token_id LIMIT ?", InactiveTokens::unused,
                Timestamp.from(window.warnUpTo()), Timestamp.from(window.revokeUpTo()), after, limit);
    }

    /** How many tokens the window revokes. */
    public long countDue(Window window) {
        return jdbc.queryForObject("SELECT count(*) FROM (" + DUE + ") d", Long.class,
                Timestamp.from(window.revokeUpTo()));
    }

    /** How many tokens the window warns. */
    public long countToWarn(Window window) {
        return jdbc.queryForObject("SELECT count(*) FROM (" + TO_WARN + ") w", Long.class,
                Timestamp.from(window.warnUpTo()), Timestamp.from(window.revokeUpTo()));
    }

    /** What a run did. */
    public record Outcome(int revoked, int warned, long millis) {
    }

    /**
     * The daily run as of {@code now}: revokes the tokens due, then warns those due within the lead; nothing when
     * the policy is not set. A token whose command fails is left for the next run.
     */
    public Outcome run(Instant now) {
        long start = System.nanoTime();
        Optional<Integer> days = days();
        if (days.isEmpty()) {
            return new Outcome(0, 0, 0);
        }
        Window window = Window.of(days.get(), now);
        CommandGateway gateway = commands.getObject();
        AtomicInteger revoked = new AtomicInteger();
        AtomicInteger warned = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
            Thread thread = new Thread(r, "token-inactivity");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (List<Unused> chunk = due(window, FIRST, CHUNK); !chunk.isEmpty();
                 chunk = due(window, chunk.get(chunk.size() - 1).tokenId(), CHUNK)) {
                sendAll(senders, chunk, token -> {
                    if (send(gateway, new RevokeToken(new TokenId(token.tokenId()), null, RevokeToken.INACTIVE))) {
                        revoked.incrementAndGet();
                    }
                });
            }
            for (List<Unused> chunk = toWarn(window, FIRST, CHUNK); !chunk.isEmpty();
                 chunk = toWarn(window, chunk.get(chunk.size() - 1).tokenId(), CHUNK)) {
                sendAll(senders, chunk, token -> {
                    if (send(gateway, new WarnOfInactivity(new TokenId(token.tokenId()), token.unusedSince(),
                            window.revokeAt(token.unusedSince())))) {
                        jdbc.update("""
                                INSERT INTO inactivity_warning (token_id, unused_since) VALUES (?, ?)
                                ON CONFLICT (token_id) DO UPDATE SET unused_since = excluded.unused_since""",
                                token.tokenId(), Timestamp.from(token.unusedSince()));
                        warned.incrementAndGet();
                    }
                });
            }
        } finally {
            senders.shutdownNow();
        }
        jdbc.update("""
                DELETE FROM inactivity_warning w
                WHERE NOT EXISTS (SELECT 1 FROM active_token_of_user a WHERE a.token_id = w.token_id)""");
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("Inactivity policy ({} days): {} tokens revoked, {} warned in {} ms", days.get(), revoked, warned,
                millis);
        return new Outcome(revoked.get(), warned.get(), millis);
    }

    /** Runs the action for each token of the chunk on the senders, and waits until all are done. */
    private static void sendAll(ExecutorService senders, List<Unused> chunk, Consumer<Unused> action) {
        List<Future<?>> sent = new ArrayList<>(chunk.size());
        for (Unused token : chunk) {
            sent.add(senders.submit(() -> action.accept(token)));
        }
        for (Future<?> one : sent) {
            try {
                one.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("inactivity run interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static boolean send(CommandGateway gateway, Object command) {
        try {
            gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(SYSTEM));
            return true;
        } catch (AggregateNotFoundException e) {
            log.warn("Inactivity policy: unknown token skipped ({})", command);
            return false;
        } catch (RuntimeException e) {
            log.warn("Inactivity policy: {} failed, left for the next run: {}", command, e.toString());
            return false;
        }
    }

    private static Unused unused(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Unused(rs.getObject("token_id", UUID.class), rs.getTimestamp("unused_since").toInstant());
    }
}
