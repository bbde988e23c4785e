package io.tokenledger.command.bulk;

import com.github.kagkarlsson.scheduler.Scheduler;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PrintableText;
import io.tokenledger.api.audit.AuditMetadata;
import io.tokenledger.api.token.ActiveTokens;
import io.tokenledger.api.token.FindActiveTokens;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenSelection;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bulk revokes: a preview (how many active tokens a selection matches, and a sample), and jobs that revoke them. A job
 * fixes its set of tokens when it starts ({@code bulk_revoke_item}) and is run by a db-scheduler task, batch by
 * batch: a batch's tokens are revoked and marked done, with the job's progress, in one transaction. A job picked up
 * again (a crash, a restart, a failed attempt) resumes at the tokens not marked done; a token revoked already is left
 * as it is, since a revocation of a revoked token changes nothing, so no token is revoked twice. The token that makes the request is never part of its own job.
 *
 * <p>On every instance, not only command instances: a preview is a read (the console's preview page is served by
 * query instances); a job is started by a write, on a command instance, and run by the task there.
 */
@Component
public class BulkRevokes {
    private static final Logger log = LoggerFactory.getLogger(BulkRevokes.class);
    /** The db-scheduler task that runs a job; its instance is the job's id. */
    static final String TASK = "token-bulk-revoke";
    /** Most tokens a preview shows. */
    public static final int SAMPLE = 50;
    /** Longest reason: each revocation records it after {@code "BULK: "}, within the 200 characters of a reason. */
    public static final int MAX_REASON = 190;
    /** Tokens revoked in one transaction, marked done in it. */
    static final int BATCH = 50;
    /** Batches revoked at the same time: each mostly waits on PostgreSQL. */
    static final int PARALLEL = 4;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final QueryGateway queries;
    private final CommandGateway commands;
    private final ObjectProvider<Scheduler> scheduler;

    BulkRevokes(JdbcTemplate jdbc, TransactionTemplate transactions, QueryGateway queries, CommandGateway commands,
                ObjectProvider<Scheduler> scheduler) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.queries = queries;
        this.commands = commands;
        this.scheduler = scheduler;
    }

    /**
     * What a job would revoke: the number of active tokens the selection matches and up to {@value #SAMPLE} of them,
     * newest first; not the caller's own token, which {@code callingTokenMatched} says the selection matched.
     */
    public record BulkRevokePreview(long matched, List<TokenView> sample, boolean callingTokenMatched) {
    }

    /** The preview of a bulk revoke by this actor; changes nothing. */
    public BulkRevokePreview preview(TokenSelection selection, Actor actor) {
        checkSelection(selection);
        ActiveTokens found = find(selection, SAMPLE + 1, true);
        boolean calling = actor.tokenId() != null && found.ids().contains(actor.tokenId());
        List<TokenView> sample = found.sample().stream()
                .filter(t -> actor.tokenId() == null || !t.id().equals(actor.tokenId().toString()))
                .limit(SAMPLE).toList();
        return new BulkRevokePreview(found.matched() - (calling ? 1 : 0), sample, calling);
    }

    /**
     * Starts a job that revokes the active tokens the selection matches now (but the caller's own token), each with
     * reason {@code BULK: <reason>} and the job's id; answers the job's id.
     */
    public UUID start(TokenSelection selection, String reason, Actor actor) {
        checkSelection(selection);
        String why = checkedReason(reason);
        UUID jobId = UUID.randomUUID();
        String filter = describe(selection);
        transactions.executeWithoutResult(status -> {
            List<TokenId> ids = new ArrayList<>(find(selection, 0, true).ids());
            if (actor.tokenId() != null) {
                ids.remove(actor.tokenId());
            }
            Instant now = Instant.now();
            jdbc.update("""
                    INSERT INTO bulk_revoke_job (id, state, reason, filter, total, done, requested_by,
                                                 requested_by_username, started_at, finished_at)
                    VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)""", jobId, ids.isEmpty() ? "DONE" : "RUNNING", why, filter,
                    ids.size(), actor.userId().value(), actor.username(), Timestamp.from(now),
                    ids.isEmpty() ? Timestamp.from(now) : null);
            if (ids.isEmpty()) {
                return;
            }
            jdbc.update("""
                    INSERT INTO bulk_revoke_item (job_id, position, token_id)
                    SELECT ?, t.position, t.token_id FROM unnest(?::uuid[]) WITH ORDINALITY AS t(token_id, position)""",
                    jobId, ids.stream().map(TokenId::value).toArray(UUID[]::new));
            jdbc.update("""
                    INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                                 consecutive_failures)
                    VALUES (?, ?, now(), false, 1, 0)""", TASK, jobId.toString());
            runSoon();
        });
        log.info("Bulk revoke job {} started by {} ({})", jobId, actor.username(), filter);
        return jobId;
    }

    /**
     * Runs a job over its tokens not marked done yet, to its end; a job done or failed is left alone. A revocation
     * refused (the token is gone) counts as done; anything else stops the run, which is tried again later.
     */
    public void run(UUID jobId) {
        Job job = jdbc.query("SELECT state, reason, requested_by, requested_by_username FROM bulk_revoke_job "
                        + "WHERE id = ?", (rs, n) -> new Job(rs.getString(1), rs.getString(2),
                        rs.getObject(3, UUID.class), rs.getString(4)), jobId).stream().findFirst().orElse(null);
        if (job == null || !"RUNNING".equals(job.state())) {
            return;
        }
        Actor actor = new Actor(new UserId(job.requestedBy()), job.username(), Role.ADMIN, null, null, null);
        Map<String, String> meta = Map.of(AuditMetadata.ACTOR_ID, job.requestedBy().toString(),
                AuditMetadata.ACTOR_USERNAME, job.username(), AuditMetadata.ACTOR_ROLE, Role.ADMIN.name());
        String reason = RevokeToken.BULK + ": " + job.reason();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            while (true) {
                List<Item> chunk = jdbc.query("SELECT position, token_id FROM bulk_revoke_item "
                                + "WHERE job_id = ? AND NOT done ORDER BY position LIMIT ?",
                        (rs, n) -> new Item(rs.getInt(1), rs.getObject(2, UUID.class)), jobId, BATCH * PARALLEL);
                if (chunk.isEmpty()) {
                    break;
                }
                List<Future<?>> sent = new ArrayList<>();
                for (int from = 0; from < chunk.size(); from += BATCH) {
                    List<Item> batch = chunk.subList(from, Math.min(chunk.size(), from + BATCH));
                    sent.add(pool.submit(() -> revoke(batch, actor, reason, jobId, meta)));
                }
                for (Future<?> batch : sent) {
                    batch.get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bulk revoke job " + jobId + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("bulk revoke job " + jobId + " stopped; it resumes later", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        jdbc.update("UPDATE bulk_revoke_job SET state = 'DONE', finished_at = now() WHERE id = ? AND state = "
                + "'RUNNING'", jobId);
        log.info("Bulk revoke job {} done", jobId);
    }

    /** A job that failed too often is given up: it stays as far as it got. */
    void fail(UUID jobId, Throwable cause) {
        jdbc.update("UPDATE bulk_revoke_job SET state = 'FAILED', finished_at = now(), error = ? WHERE id = ? "
                        + "AND state = 'RUNNING'",
                cause == null ? null : truncate(String.valueOf(cause.getMessage()), 500), jobId);
        log.error("Bulk revoke job {} failed", jobId, cause);
    }

    /**
     * Revokes a batch of the job's tokens and marks them done, in one transaction: one commit for the batch, and
     * the marks go with the revocations. Should any revocation fail, the transaction is undone and the batch is
     * revoked again one token per transaction, a token that is gone or refused left as it is, then marked done.
     */
    private void revoke(List<Item> batch, Actor actor, String reason, UUID jobId, Map<String, String> meta) {
        try {
            transactions.executeWithoutResult(status -> {
                for (Item item : batch) {
                    send(item.tokenId(), actor, reason, jobId, meta);
                }
                markDone(jobId, batch);
            });
            return;
        } catch (RuntimeException e) {
            log.warn("Bulk revoke job {}: a batch of {} failed together ({}); one token at a time", jobId,
                    batch.size(), e.toString());
        }
        for (Item item : batch) {
            try {
                send(item.tokenId(), actor, reason, jobId, meta);
            } catch (AggregateNotFoundException | CommandRejected e) {
                log.warn("Bulk revoke job {}: token {} left as it is: {}", jobId, item.tokenId(), e.getMessage());
            }
        }
        transactions.executeWithoutResult(status -> markDone(jobId, batch));
    }

    private void send(UUID tokenId, Actor actor, String reason, UUID jobId, Map<String, String> meta) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                new RevokeToken(new TokenId(tokenId), actor, reason, jobId)).andMetaData(meta));
    }

    /** Marks a batch done and counts it in the job's progress. */
    private void markDone(UUID jobId, List<Item> batch) {
        int marked = jdbc.update("UPDATE bulk_revoke_item SET done = true WHERE job_id = ? AND position = ANY (?) "
                + "AND NOT done", jobId, batch.stream().map(Item::position).toArray(Integer[]::new));
        jdbc.update("UPDATE bulk_revoke_job SET done = done + ? WHERE id = ?", marked, jobId);
    }

    private ActiveTokens find(TokenSelection selection, int sampleSize, boolean withIds) {
        return queries.query(new FindActiveTokens(selection, sampleSize, withIds),
                ResponseTypes.instanceOf(ActiveTokens.class)).join();
    }

    /** Every token is never a selection: at least one filter is required, so nothing is revoked by accident. */
    private static void checkSelection(TokenSelection selection) {
        if (selection == null || selection.isEmpty()) {
            throw CommandRejected.invalid("filter", "must name at least one of userId, kind, scope, tag, q, "
                    + "createdBefore, unusedForDays");
        }
        selection.checked("filter.");
    }

    private static String checkedReason(String reason) {
        String stripped = reason == null ? "" : reason.strip();
        if (stripped.isEmpty() || stripped.codePointCount(0, stripped.length()) > MAX_REASON) {
            throw CommandRejected.invalid("reason", "must be 1 to " + MAX_REASON + " characters");
        }
        if (!PrintableText.isPrintable(stripped)) {
            throw CommandRejected.invalid("reason", "must contain printable characters only");
        }
        return stripped;
    }

    /** The selection as the job records it, for the log and the job's row. */
    private static String describe(TokenSelection s) {
        List<String> parts = new ArrayList<>();
        if (s.userId() != null) {
            parts.add("userId=" + s.userId());
        }
        if (s.kind() != null) {
            parts.add("kind=" + s.kind());
        }
        if (s.scope() != null) {
            parts.add("scope=" + s.scope());
        }
        if (s.tag() != null) {
            parts.add("tag=" + s.tag());
        }
        if (s.q() != null) {
            parts.add("q=" + s.q());
        }
        if (s.createdBefore() != null) {
            parts.add("createdBefore=" + s.createdBefore());
        }
        if (s.unusedForDays() != null) {
            parts.add("unusedForDays=" + s.unusedForDays());
        }
        return String.join(", ", parts);
    }

    private static String truncate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    /** The job's task is due now; this instance looks for it as soon as the job's transaction commits. */
    private void runSoon() {
        Scheduler local = scheduler.getIfAvailable();
        if (local != null && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    local.triggerCheckForDueExecutions();
                }
            });
        }
    }

    private record Job(String state, String reason, UUID requestedBy, String username) {
    }

    private record Item(int position, UUID tokenId) {
    }
}
