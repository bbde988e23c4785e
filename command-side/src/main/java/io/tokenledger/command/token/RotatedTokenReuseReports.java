package io.tokenledger.command.token;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.tokenledger.api.audit.AuditMetadata;
import io.tokenledger.api.token.ReportRotatedTokenReuse;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.command.CommandRole;
import java.time.Duration;
import java.util.Map;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The db-scheduler task that reports a rotating token used after its successor: whichever instance recorded the use
 * asked for it (see {@code TokenUsageRecorder}), one with the command role runs it, as the system.
 */
@CommandRole
@Configuration(proxyBeanMethods = false)
class RotatedTokenReuseReports {
    private static final Logger log = LoggerFactory.getLogger(RotatedTokenReuseReports.class);
    /** A report that failed (the database out of reach) is tried again after this. */
    static final Duration RETRY = Duration.ofSeconds(30);
    /** The report is the system's doing, and names the task that made it. */
    static final Map<String, String> REPORTING = Map.of(AuditMetadata.ACTOR_ID, AuditMetadata.SYSTEM,
            AuditMetadata.ACTOR_USERNAME, AuditMetadata.SYSTEM, AuditMetadata.ACTOR_ROLE, AuditMetadata.SYSTEM,
            AuditMetadata.DEADLINE, ReportRotatedTokenReuse.TASK);

    @Bean
    CustomTask<Void> rotatedTokenReuseTask(ObjectProvider<CommandGateway> commands) {
        return Tasks.custom(ReportRotatedTokenReuse.TASK, Void.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(RETRY))
                .execute((instance, context) -> {
                    try {
                        commands.getObject().sendAndWait(GenericCommandMessage.asCommandMessage(
                                new ReportRotatedTokenReuse(TokenId.of(instance.getId()))).andMetaData(REPORTING));
                    } catch (AggregateNotFoundException e) {
                        log.warn("Reuse of unknown token {} dropped", instance.getId());
                    }
                    return new CompletionHandler.OnCompleteRemove<>();
                });
    }
}
