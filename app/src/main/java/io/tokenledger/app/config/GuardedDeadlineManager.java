package io.tokenledger.app.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's db-scheduler deadline manager, except that cancelling a deadline that some instance is firing right now
 * is a no-op, as is cancelling one that has already fired. Axon 4.13 answers the second itself (#3857, fixed in
 * 4.12.3), but the first still throws {@code TaskInstanceCurrentlyExecutingException} from the caller's
 * prepare-commit, failing the whole unit of work: the expiry saga ending on a revoke would be retried for as long
 * as the other instance runs the deadline ({@code ExpiryWarningFlowTest} shows it). Here the scheduler is asked
 * directly, in the caller's transaction, and both outcomes are answered without an exception; the deadline's
 * handler, on the instance firing it, then finds the saga ended or replanned.
 */
class GuardedDeadlineManager extends DbSchedulerDeadlineManager {
    private static final Logger log = LoggerFactory.getLogger(GuardedDeadlineManager.class);

    private final Scheduler scheduler;

    GuardedDeadlineManager(Builder builder, Scheduler scheduler) {
        super(builder);
        this.scheduler = scheduler;
    }

    @Override
    public void cancelSchedule(String deadlineName, String scheduleId) {
        try {
            scheduler.cancel(new DbSchedulerDeadlineToken(scheduleId));
        } catch (TaskInstanceNotFoundException e) {
            log.debug("Deadline {} {} already fired", deadlineName, scheduleId);
        } catch (TaskInstanceCurrentlyExecutingException e) {
            // The handler loads the saga after this unit of work commits and sees the deadline was replanned.
            log.debug("Deadline {} {} is firing; its handler will find it replanned", deadlineName, scheduleId);
        }
    }
}
