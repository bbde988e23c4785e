package io.tokenledger.command.bulk;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.tokenledger.command.CommandRole;
import java.time.Duration;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that runs a bulk revoke job ({@link BulkRevokes}): on one instance at a time, again after a
 * crash (a dead execution is revived), and again after a failed attempt, up to {@value #ATTEMPTS} attempts in a row,
 * after which the job is marked FAILED.
 */
@CommandRole
@Configuration(proxyBeanMethods = false)
class BulkRevokeTask {
    /** A run that failed (the database out of reach) is tried again after this. */
    static final Duration RETRY = Duration.ofSeconds(30);
    /** Failed attempts in a row before a job is given up. */
    static final int ATTEMPTS = 5;

    @Bean
    OneTimeTask<Void> bulkRevokeJobTask(BulkRevokes jobs) {
        return Tasks.oneTime(BulkRevokes.TASK, Void.class)
                .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(ATTEMPTS,
                        new FailureHandler.OnFailureRetryLater<>(RETRY), (complete, operations) -> {
                            jobs.fail(UUID.fromString(complete.getExecution().taskInstance.getId()),
                                    complete.getCause().orElse(null));
                            operations.stop();
                        }))
                .execute((instance, context) -> jobs.run(UUID.fromString(instance.getId())));
    }
}
