package io.tokenledger.command.expiry;

import com.github.kagkarlsson.scheduler.Scheduler;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.settings.CurrentSettings;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans in {@code expiry_warning}, each token's task (its pending warning or its expiry) in db-scheduler's
 * {@code scheduled_tasks}. Every writer touches a token's plan row before its task row, so the replan job and a
 * token's own commands cannot deadlock.
 */
@CommandRole
@Component
class JdbcExpiryWarnings implements ExpiryWarnings {
    /** Tokens replanned per statement by the replan job. */
    static final int BATCH = 5_000;
    /** Name of the db-scheduler task that replans every token after a ladder change, and its one instance. */
    static final String REPLAN_TASK = "token-expiry-warning-replan";
    static final String REPLAN_INSTANCE = "ladder";

    /**
     * A token's plan, written first: the statement that follows it reads its row, so the plan row is locked before
     * the task row, as everywhere else, in one round trip.
     */
    private static final String PLAN = """
            WITH plan AS (
                INSERT INTO expiry_warning (token_id, expires_at, closest_warned_days, pending_days, planned_version)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (token_id) DO UPDATE SET closest_warned_days = EXCLUDED.closest_warned_days,
                    pending_days = EXCLUDED.pending_days, planned_version = EXCLUDED.planned_version
                RETURNING token_id
            )
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ObjectProvider<Scheduler> scheduler;

    JdbcExpiryWarnings(JdbcTemplate jdbc, TransactionTemplate transactions, ObjectProvider<Scheduler> scheduler) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.scheduler = scheduler;
    }

    /**
     * A token's task, due at a time. Only a token's own commands set it, and of those only its firing meets its row
     * picked: the row is free again as soon as this commits, and the firing's completion leaves a row of a newer
     * version alone.
     */
    private static final String TASK_AT = """
            INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                         consecutive_failures)
            SELECT ?, %s, ?::timestamptz, false, 1, 0 %s
            ON CONFLICT (task_name, task_instance) DO UPDATE SET execution_time = EXCLUDED.execution_time,
                picked = false, picked_by = NULL, last_heartbeat = NULL, consecutive_failures = 0,
                version = scheduled_tasks.version + 1""";

    @Override
    public void plan(TokenId tokenId, Instant expiresAt, Integer closestWarnedDays, Pending next, long policyVersion) {
        Instant at = next == null ? expiresAt : next.at();
        jdbc.update(PLAN + TASK_AT.formatted("plan.token_id::text", "FROM plan"),
                tokenId.value(), Timestamp.from(expiresAt), closestWarnedDays,
                next == null ? null : next.daysBefore(), policyVersion, TASK, Timestamp.from(at));
        fireSoonIfDue(at);
    }

    @Override
    public void expireAt(TokenId tokenId, Instant expiresAt) {
        jdbc.update(TASK_AT.formatted("?", ""), TASK, tokenId.toString(), Timestamp.from(expiresAt));
        fireSoonIfDue(expiresAt);
    }

    private void fireSoonIfDue(Instant at) {
        if (!at.isAfter(Instant.now())) {
            fireSoon();
        }
    }

    /**
     * A task due at once (a token created inside a warning's window) fires as soon as this transaction commits, not at
     * the scheduler's next poll: it is written here, not through the scheduler, which would otherwise not know.
     */
    private void fireSoon() {
        Scheduler local = scheduler.getIfAvailable();
        if (local == null) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    local.triggerCheckForDueExecutions();
                }
            });
        } else {
            local.triggerCheckForDueExecutions();
        }
    }

    @Override
    public void cancel(TokenId tokenId) {
        // One round trip; the condition on the plan's deletion is evaluated (once) before any task row is locked,
        // so the plan row is still locked first.
        jdbc.update("""
                WITH plan AS (DELETE FROM expiry_warning WHERE token_id = ? RETURNING token_id)
                DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? AND NOT picked
                    AND (SELECT count(*) FROM plan) >= 0""", tokenId.value(), TASK, tokenId.toString());
    }

    /** The replan task, due now; if it is running, it runs again, so a change during a run is never missed. */
    @Override
    public void replanAll() {
        jdbc.update("""
                INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                             consecutive_failures)
                VALUES (?, ?, now(), false, 1, 0)
                ON CONFLICT (task_name, task_instance) DO UPDATE SET execution_time = now(), picked = false,
                    picked_by = NULL, last_heartbeat = NULL, version = scheduled_tasks.version + 1""",
                REPLAN_TASK, REPLAN_INSTANCE);
    }

    /**
     * Whether some plan was made from another ladder than the one of {@code version}. (Versions only grow, but a
     * cleared ladder reads as version 0: "other" rather than "older".)
     */
    boolean anyPlannedFromAnotherThan(long version) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM expiry_warning WHERE planned_version <> ?)", Boolean.class, version));
    }

    /** What one pass of the replan job found. */
    record Pass(int found, int skipped) {
    }

    /**
     * Replans every plan made from another ladder than {@code policy}'s, a batch per transaction and one statement
     * per batch. A token whose warning is firing at this moment is skipped: its firing plans it again itself.
     */
    Pass replan(CurrentSettings.WarningPolicy policy, Instant now) {
        int found = 0;
        int skipped = 0;
        UUID after = new UUID(Long.MIN_VALUE, Long.MIN_VALUE);
        boolean first = true;
        while (true) {
            List<Object[]> rows = jdbc.query("""
                    SELECT token_id, expires_at, closest_warned_days FROM expiry_warning
                    WHERE planned_version <> ? AND (? OR token_id > ?) ORDER BY token_id LIMIT ?""",
                    (rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(),
                            rs.getObject(3, Integer.class)},
                    policy.version(), first, after, BATCH);
            if (rows.isEmpty()) {
                return new Pass(found, skipped);
            }
            first = false;
            List<UUID> ids = new ArrayList<>(rows.size());
            List<Integer> days = new ArrayList<>(rows.size());
            List<Timestamp> times = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                Instant expiresAt = (Instant) row[1];
                Pending next = WarningLadder.next(policy.days().days(), expiresAt, (Integer) row[2], now);
                ids.add((UUID) row[0]);
                days.add(next == null ? null : next.daysBefore());
                times.add(Timestamp.from(next == null ? expiresAt : next.at()));
            }
            Integer replanned = transactions.execute(status -> jdbc.execute((Connection c) -> {
                try (PreparedStatement statement = c.prepareStatement(REPLAN_BATCH)) {
                    Array idArray = c.createArrayOf("uuid", ids.toArray());
                    statement.setArray(1, idArray);
                    statement.setArray(2, c.createArrayOf("int4", days.toArray()));
                    statement.setArray(3, c.createArrayOf("timestamptz", times.toArray()));
                    statement.setLong(4, policy.version());
                    statement.setLong(5, policy.version());
                    statement.setString(6, TASK);
                    statement.setString(7, TASK);
                    try (var rs = statement.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            }));
            found += rows.size();
            skipped += rows.size() - (replanned == null ? 0 : replanned);
            after = ids.get(ids.size() - 1);
        }
    }

    /**
     * One batch: the plans first (those whose task is not being fired), then their tasks (the pending warning, or
     * the expiry where no warning is left), rewritten only where the time changes.
     */
    private static final String REPLAN_BATCH = """
            WITH next AS (
                SELECT * FROM unnest(?::uuid[], ?::int[], ?::timestamptz[]) AS n(token_id, days, at)
            ), planned AS (
                UPDATE expiry_warning e SET pending_days = next.days, planned_version = ?
                FROM next
                WHERE e.token_id = next.token_id AND e.planned_version <> ?
                  AND NOT EXISTS (SELECT 1 FROM scheduled_tasks t
                                  WHERE t.task_name = ? AND t.task_instance = e.token_id::text AND t.picked)
                RETURNING e.token_id, next.at
            ), scheduled AS (
                INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                             consecutive_failures)
                SELECT ?, planned.token_id::text, planned.at, false, 1, 0 FROM planned
                ON CONFLICT (task_name, task_instance) DO UPDATE SET execution_time = EXCLUDED.execution_time,
                    version = scheduled_tasks.version + 1
                WHERE NOT scheduled_tasks.picked AND scheduled_tasks.execution_time <> EXCLUDED.execution_time
            )
            SELECT count(*) FROM planned""";
}
