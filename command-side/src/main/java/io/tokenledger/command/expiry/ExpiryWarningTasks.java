package io.tokenledger.command.expiry;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.tokenledger.api.audit.AuditMetadata;
import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.settings.CurrentSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The db-scheduler tasks of expiry: the firing of a token's task (its pending warning or its expiry), and the
 * replanning of every token after a ladder change. Each runs on one instance at a time, and again after a crash.
 */
@CommandRole
@Configuration(proxyBeanMethods = false)
class ExpiryWarningTasks {
    private static final Logger log = LoggerFactory.getLogger(ExpiryWarningTasks.class);
    /** A warning that failed to fire (the database out of reach) is tried again after this. */
    static final Duration RETRY = Duration.ofSeconds(30);
    /** How long the replan job waits for warnings being fired as it replans, before it tries again later. */
    static final Duration REPLAN_PATIENCE = Duration.ofSeconds(30);
    /** Whoever planned a warning, its firing is the system's doing, and names itself. */
    static final Map<String, String> FIRING = Map.of(AuditMetadata.ACTOR_ID, AuditMetadata.SYSTEM,
            AuditMetadata.ACTOR_USERNAME, AuditMetadata.SYSTEM, AuditMetadata.ACTOR_ROLE, AuditMetadata.SYSTEM,
            AuditMetadata.DEADLINE, ExpiryWarnings.TASK);

    /**
     * Fires a token's task: the aggregate applies the rules (its expiry, the ladder in force, thresholds already
     * warned, the token's status), expires the token or records the warning that is due, and plans what comes next
     * in the same transaction, rewriting this very task. The completion then removes the task only if nothing
     * rewrote it. That delete stays outside the command's transaction: the token's lock is released when Axon's unit
     * of work commits, so with a transaction of our own around the command another command on the token (a revoke,
     * an older version's expiry deadline) could load it before this one's event is committed, and one of the two
     * would fail on the event's sequence number.
     */
    @Bean
    CustomTask<Void> expiryWarningTask(ObjectProvider<CommandGateway> commands, JdbcTemplate jdbc) {
        return Tasks.custom(ExpiryWarnings.TASK, Void.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(RETRY))
                .execute((instance, context) -> {
                    try {
                        commands.getObject().sendAndWait(GenericCommandMessage.asCommandMessage(
                                new MarkExpiryApproaching(TokenId.of(instance.getId()))).andMetaData(FIRING));
                    } catch (AggregateNotFoundException e) {
                        log.warn("Warning of unknown token {} dropped", instance.getId());
                    }
                    return removeUnlessRewritten(jdbc);
                });
    }

    /** Replans every token's warning from the ladder in force; requested in the transaction of a ladder change. */
    @Bean
    CustomTask<Void> expiryWarningReplanTask(JdbcExpiryWarnings warnings, CurrentSettings settings,
                                             JdbcTemplate jdbc) {
        return Tasks.custom(JdbcExpiryWarnings.REPLAN_TASK, Void.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(RETRY))
                .execute((instance, context) -> {
                    replan(warnings, settings);
                    return removeUnlessRewritten(jdbc);
                });
    }

    /**
     * Passes over the plans until one finds none made from another ladder than the one in force. A token whose warning is firing is
     * skipped and looked at again on the next pass; its firing plans it from the new ladder, or leaves it to the
     * next pass when it read the ladder before the change.
     */
    static void replan(JdbcExpiryWarnings warnings, CurrentSettings settings) {
        long start = System.nanoTime();
        long giveUp = start + REPLAN_PATIENCE.toNanos();
        int replanned = 0;
        while (true) {
            CurrentSettings.WarningPolicy policy = settings.warningPolicy();
            JdbcExpiryWarnings.Pass pass = warnings.replan(policy, Instant.now());
            replanned += pass.found() - pass.skipped();
            if (pass.found() == 0) {
                log.info("Expiry warnings of {} tokens replanned to ladder {} (version {}) in {} ms", replanned,
                        policy.days(), policy.version(), (System.nanoTime() - start) / 1_000_000);
                return;
            }
            if (pass.skipped() > 0) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException(pass.skipped() + " expiry warnings still firing; replanning again "
                            + "later");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Removes the task that ran, unless something rewrote it meanwhile (a new version is a new plan). */
    private static CompletionHandler<Void> removeUnlessRewritten(JdbcTemplate jdbc) {
        return (complete, operations) -> jdbc.update(
                "DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? AND version = ?",
                complete.getExecution().getTaskName(), complete.getExecution().taskInstance.getId(),
                complete.getExecution().version);
    }

    /** Plans left from before an upgrade, or from a replan cut short, are replanned when the service starts. */
    @EventListener(ApplicationReadyEvent.class)
    void replanStalePlans(ApplicationReadyEvent ready) {
        JdbcExpiryWarnings warnings = ready.getApplicationContext().getBean(JdbcExpiryWarnings.class);
        CurrentSettings settings = ready.getApplicationContext().getBean(CurrentSettings.class);
        if (warnings.anyPlannedFromAnotherThan(settings.warningPolicy().version())) {
            warnings.replanAll();
        }
    }
}
