package io.tokenledger.command;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends commands and gives read-your-writes: after the command commits, waits (bounded) until the projections,
 * on whichever instances they run, have processed the event store up to the position it had then, so the
 * client's next read shows its change on any instance.
 */
@Component
public class ConsistentCommands {
    private static final Logger log = LoggerFactory.getLogger(ConsistentCommands.class);

    private final CommandGateway gateway;
    private final ReadModels readModels;
    private final JdbcTemplate jdbc;
    private final Duration bound;

    public ConsistentCommands(CommandGateway gateway, ReadModels readModels, JdbcTemplate jdbc,
                              @Value("${tokenledger.read-your-writes.timeout:5s}") Duration bound) {
        this.gateway = gateway;
        this.readModels = readModels;
        this.jdbc = jdbc;
        this.bound = bound;
    }

    /** Sends the command, waits for its result, then for the projections to show it. */
    public <R> R send(Object command) {
        R result = gateway.sendAndWait(command);
        awaitProjections();
        return result;
    }

    /**
     * Waits until the projections have caught up with the event store's current head. Handlers that react with
     * commands of their own (a disabled user's tokens being revoked) add events once they have processed that
     * head, so a second round waits for those as well.
     */
    public void awaitProjections() {
        long deadline = System.nanoTime() + bound.toNanos();
        Long previous = null;
        for (int round = 0; round < 2; round++) {
            Long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
            if (head == null || head.equals(previous)) {
                return;
            }
            long pause = 200_000;
            List<String> behind;
            while (!(behind = readModels.behind(head)).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    log.warn("Projections {} did not reach event {} within {}; answering anyway", behind, head, bound);
                    return;
                }
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, 5_000_000);
            }
            previous = head;
        }
    }

    /**
     * Saga, notifier and per-instance live processors do not feed reads, so a command does not wait on them; nor
     * on the audit hash chain, which only verification reads and which may trail the log by a moment.
     */
    public static boolean isProjection(String processorName) {
        return !processorName.endsWith("SagaProcessor") && !processorName.equals("notifier")
                && !processorName.startsWith("live") && !processorName.equals("audit-chain");
    }
}
