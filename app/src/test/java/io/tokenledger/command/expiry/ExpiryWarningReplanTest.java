package io.tokenledger.command.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.command.settings.CurrentSettings.WarningPolicy;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The replan job's statements on PostgreSQL: each plan made from another ladder gets the warning the new ladder
 * calls for (rewritten, created or deleted), a plan already of the new ladder is not touched, and a warning that
 * some instance is firing is skipped and left to that firing. Plans of tokens that do not exist, far from due, so
 * that nothing fires them meanwhile.
 */
class ExpiryWarningReplanTest extends IntegrationTest {
    private static final long VERSION = 1_000_000;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final Instant EXPIRY = NOW.plus(Duration.ofDays(200));

    @Autowired
    JdbcExpiryWarnings warnings;
    @Autowired
    JdbcTemplate jdbc;

    private final List<UUID> tokens = new ArrayList<>();

    @AfterEach
    void forget() {
        for (UUID token : tokens) {
            jdbc.update("DELETE FROM expiry_warning WHERE token_id = ?", token);
            jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?", ExpiryWarnings.TASK,
                    token.toString());
        }
    }

    /** A plan as a token's command leaves it, with its pending warning's task if {@code pendingDays} is given. */
    private UUID planned(Integer closestWarned, Integer pendingDays, long version) {
        UUID token = UUID.randomUUID();
        tokens.add(token);
        jdbc.update("""
                INSERT INTO expiry_warning (token_id, expires_at, closest_warned_days, pending_days, planned_version)
                VALUES (?, ?, ?, ?, ?)""", token, Timestamp.from(EXPIRY), closestWarned, pendingDays, version);
        if (pendingDays != null) {
            jdbc.update("""
                    INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version,
                                                 consecutive_failures)
                    VALUES (?, ?, ?, false, 1, 0)""", ExpiryWarnings.TASK, token.toString(),
                    Timestamp.from(EXPIRY.minus(Duration.ofDays(pendingDays))));
        }
        return token;
    }

    private Map<String, Object> plan(UUID token) {
        return jdbc.queryForMap("SELECT pending_days, planned_version FROM expiry_warning WHERE token_id = ?", token);
    }

    /** The token's task (its pending warning, or its expiry): its time and version, or null when it has none. */
    private Map<String, Object> task(UUID token) {
        return jdbc.queryForList("SELECT execution_time, version, picked FROM scheduled_tasks WHERE task_name = ? "
                + "AND task_instance = ?", ExpiryWarnings.TASK, token.toString()).stream().findFirst().orElse(null);
    }

    private static Instant before(int days) {
        return EXPIRY.minus(Duration.ofDays(days));
    }

    @Test
    void aPassReplansEveryPlanOfAnotherLadderAndSkipsAWarningBeingFired() {
        UUID moved = planned(null, 7, 1);
        UUID unchanged = planned(null, 30, 1);
        UUID created = planned(7, null, -1);
        UUID exhausted = planned(1, 1, 1);
        UUID current = planned(null, 7, VERSION);
        UUID firing = planned(null, 7, 1);
        jdbc.update("UPDATE scheduled_tasks SET picked = true, picked_by = 'another-instance' WHERE task_name = ? "
                + "AND task_instance = ?", ExpiryWarnings.TASK, firing.toString());
        WarningPolicy ladder = new WarningPolicy(new ExpiryWarningDays(List.of(30, 7, 3)), VERSION);

        JdbcExpiryWarnings.Pass pass = warnings.replan(ladder, NOW);

        assertThat(pass.skipped()).isOne();
        assertThat(plan(moved)).containsEntry("pending_days", 30).containsEntry("planned_version", VERSION);
        assertThat(task(moved).get("execution_time")).isEqualTo(Timestamp.from(before(30)));
        assertThat(task(moved).get("version")).isEqualTo(2L);
        assertThat(task(unchanged).get("version")).as("the same time is not rewritten").isEqualTo(1L);
        assertThat(plan(created)).containsEntry("pending_days", 3);
        assertThat(task(created).get("execution_time")).isEqualTo(Timestamp.from(before(3)));
        assertThat(plan(exhausted).get("pending_days")).isNull();
        assertThat(task(exhausted).get("execution_time")).as("nothing below the closest warning: the expiry")
                .isEqualTo(Timestamp.from(EXPIRY));
        assertThat(task(current).get("execution_time")).isEqualTo(Timestamp.from(before(7)));
        assertThat(plan(firing)).containsEntry("pending_days", 7).containsEntry("planned_version", 1L);
        assertThat(task(firing)).containsEntry("picked", true);

        // once the firing has completed (it removed its own task), the next pass finds it
        jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?", ExpiryWarnings.TASK,
                firing.toString());
        JdbcExpiryWarnings.Pass next = warnings.replan(ladder, NOW);
        assertThat(next.found()).isOne();
        assertThat(next.skipped()).isZero();
        assertThat(plan(firing)).containsEntry("pending_days", 30);
        assertThat(warnings.replan(ladder, NOW).found()).as("nothing left from another ladder").isZero();
    }

    @Test
    void warningsTurnedOffLeaveTheExpiryAndAThresholdAlreadyPassedFiresAtOnce() {
        UUID pending = planned(null, 30, 1);
        WarningPolicy off = new WarningPolicy(ExpiryWarningDays.NONE, VERSION);
        warnings.replan(off, NOW);
        assertThat(task(pending).get("execution_time")).isEqualTo(Timestamp.from(EXPIRY));
        assertThat(plan(pending).get("pending_days")).isNull();

        // replanned as of 100 days from now (so that the warning due "at once" is not fired under the test)
        Instant later = NOW.plus(Duration.ofDays(100));
        WarningPolicy longer = new WarningPolicy(new ExpiryWarningDays(List.of(365, 150, 30)), VERSION + 1);
        warnings.replan(longer, later);
        assertThat(plan(pending)).containsEntry("pending_days", 150);
        assertThat(task(pending).get("execution_time")).as("only the closest passed threshold, at once")
                .isEqualTo(Timestamp.from(later));
    }
}
