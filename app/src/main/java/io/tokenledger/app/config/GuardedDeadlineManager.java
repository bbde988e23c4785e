package io.tokenledger.app.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's db-scheduler deadline manager, except that cancelling a deadline that has already fired, or is firing
 * right now on some instance, is a no-op. On 4.12.2 the original throws from inside its own transaction
 * callback, which marks the caller's whole unit of work rollback-only; here the scheduler is asked directly,
 * in the caller's transaction, and the two expected outcomes are answered without an exception.
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
