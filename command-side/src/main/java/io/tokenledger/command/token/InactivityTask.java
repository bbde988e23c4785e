package io.tokenledger.command.token;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.tokenledger.command.CommandRole;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The inactivity policy's daily run ({@link InactiveTokens#run}) as a persistent db-scheduler recurring task: at
 * {@link #AT} UTC every day, on one instance, also after a restart; a run that fails is tried at the next time.
 */
@CommandRole
@Configuration(proxyBeanMethods = false)
class InactivityTask {
    static final String TASK = "token-inactivity";
    /** The time of day (UTC) of the run: a quiet hour in most places. */
    static final LocalTime AT = LocalTime.of(3, 0);

    @Bean
    RecurringTask<Void> tokenInactivityTask(InactiveTokens tokens) {
        return Tasks.recurring(TASK, Schedules.daily(ZoneOffset.UTC, AT))
                .execute((instance, context) -> tokens.run(Instant.now()));
    }
}
