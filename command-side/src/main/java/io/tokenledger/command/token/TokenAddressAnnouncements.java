package io.tokenledger.command.token;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.tokenledger.api.audit.AuditMetadata;
import io.tokenledger.api.token.NoteTokenAddress;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.command.CommandRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tells each token of the addresses it was newly seen used from: {@code TokenUsageRecorder}, on whichever instance
 * saw the use, inserts the address into {@code token_address} unannounced; this recurring db-scheduler task, on one
 * command instance at a time, sends a {@link NoteTokenAddress} per such address (oldest first, a chunk per run) and
 * marks it announced. The token records it as an event (audited, and an alert when asked for) only if it never saw
 * the address, so a run cut short and repeated records nothing twice. A request never waits for any of this.
 */
@CommandRole
@Configuration(proxyBeanMethods = false)
class TokenAddressAnnouncements {
    static final String TASK = "token-address-announcements";
    /** Addresses told per run; more wait for the next run, a couple of seconds later. */
    static final int CHUNK = 500;
    private static final Logger log = LoggerFactory.getLogger(TokenAddressAnnouncements.class);
    private static final Map<String, String> SYSTEM = Map.of(AuditMetadata.ACTOR_ID, AuditMetadata.SYSTEM,
            AuditMetadata.ACTOR_USERNAME, AuditMetadata.SYSTEM, AuditMetadata.ACTOR_ROLE, AuditMetadata.SYSTEM,
            AuditMetadata.DEADLINE, TASK);

    private record NewAddress(UUID tokenId, String ip, String userAgent, String client, Instant firstSeenAt) {
    }

    @Bean
    RecurringTask<Void> tokenAddressAnnouncementTask(ObjectProvider<CommandGateway> commands, JdbcTemplate jdbc) {
        return Tasks.recurring(TASK, FixedDelay.ofSeconds(2))
                .execute((instance, context) -> announce(commands.getObject(), jdbc));
    }

    /** Tells the tokens of up to a chunk of new addresses; returns how many were told. */
    static int announce(CommandGateway commands, JdbcTemplate jdbc) {
        List<NewAddress> waiting = jdbc.query("""
                        SELECT token_id, ip, user_agent, client, first_seen_at FROM token_address
                        WHERE NOT announced ORDER BY first_seen_at LIMIT ?""",
                (rs, row) -> new NewAddress(rs.getObject("token_id", UUID.class), rs.getString("ip"),
                        rs.getString("user_agent"), rs.getString("client"),
                        rs.getTimestamp("first_seen_at").toInstant()), CHUNK);
        for (NewAddress a : waiting) {
            try {
                commands.sendAndWait(GenericCommandMessage.asCommandMessage(new NoteTokenAddress(
                        new TokenId(a.tokenId()), a.ip(), a.userAgent(), a.client(), a.firstSeenAt()))
                        .andMetaData(SYSTEM));
            } catch (AggregateNotFoundException e) {
                log.warn("Address of unknown token {} dropped", a.tokenId());
            } catch (RuntimeException e) {
                log.warn("Telling token {} of a new address failed; trying again on the next run: {}", a.tokenId(),
                        e.toString());
                continue;
            }
            jdbc.update("""
                    UPDATE token_address SET announced = true
                    WHERE token_id = ? AND ip = ? AND user_agent = ? AND client = ?""",
                    a.tokenId(), a.ip(), a.userAgent(), a.client());
        }
        return waiting.size();
    }
}
