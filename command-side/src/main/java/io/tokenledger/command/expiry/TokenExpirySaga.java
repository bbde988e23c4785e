package io.tokenledger.command.expiry;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.tokenledger.api.settings.ExpiryWarningsRescheduled;
import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.settings.CurrentSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;

/**
 * Warns before a permanent token expires, on the ladder in force (e.g. 30, 7 and 1 days before). One warning
 * deadline is pending at a time: the next threshold to reach. When several thresholds have already passed
 * (a token created close to its expiry, or a longer ladder set later), only the closest one fires, at once;
 * a threshold at or above one already warned never fires. A new ladder replans the pending warning; revoke,
 * rotation (which revokes) and expiry end the saga and cancel it. The time is always the message's own
 * timestamp, so the saga is deterministic under test.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@CommandRole
public class TokenExpirySaga {
    /** Name of the deadline that fires a warning. */
    public static final String WARNING_DEADLINE = "token-expiry-warning";

    private TokenId tokenId;
    private Instant expiresAt;
    private List<Integer> ladder = new ArrayList<>();
    private long policyVersion;
    private Integer closestWarnedDays;
    private String pendingDeadlineId;
    private Integer pendingDays;

    public TokenExpirySaga() {
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "tokenId")
    public void on(PermanentTokenCreated event, @Timestamp Instant now, CurrentSettings settings,
                   DeadlineManager deadlines) {
        tokenId = event.tokenId();
        expiresAt = event.expiresAt();
        SagaLifecycle.associateWith(ExpiryBuckets.ASSOCIATION, ExpiryBuckets.of(tokenId));
        CurrentSettings.WarningPolicy policy = settings.warningPolicy();
        ladder = new ArrayList<>(policy.days().days());
        policyVersion = policy.version();
        plan(now, deadlines);
    }

    @SagaEventHandler(associationProperty = "bucket", keyName = ExpiryBuckets.ASSOCIATION)
    public void on(ExpiryWarningsRescheduled event, @Timestamp Instant now, DeadlineManager deadlines) {
        // The saga may have read this policy, or a later one, when it started.
        if (event.policyVersion() <= policyVersion) {
            return;
        }
        policyVersion = event.policyVersion();
        ladder = new ArrayList<>(event.daysBefore());
        plan(now, deadlines);
    }

    @DeadlineHandler(deadlineName = WARNING_DEADLINE)
    public void warn(ExpiryWarningDue due, @Timestamp Instant now, CommandGateway commands,
                     DeadlineManager deadlines) {
        if (pendingDays == null || pendingDays != due.daysBefore()) {
            return; // replanned after this deadline was picked to fire
        }
        pendingDeadlineId = null;
        pendingDays = null;
        commands.sendAndWait(new MarkExpiryApproaching(tokenId, due.daysBefore()));
        closestWarnedDays = due.daysBefore();
        plan(now, deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "tokenId")
    public void on(TokenRevoked event, DeadlineManager deadlines) {
        cancelPending(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "tokenId")
    public void on(TokenExpired event, DeadlineManager deadlines) {
        cancelPending(deadlines);
    }

    /** Makes the pending deadline the next warning due from {@code now}, touching it only if that changes. */
    private void plan(Instant now, DeadlineManager deadlines) {
        Integer next = nextWarning(now);
        if (next != null && next.equals(pendingDays)) {
            return;
        }
        cancelPending(deadlines);
        if (next == null) {
            return;
        }
        Instant at = warningTime(next);
        pendingDeadlineId = deadlines.schedule(at.isBefore(now) ? now : at, WARNING_DEADLINE,
                new ExpiryWarningDue(next));
        pendingDays = next;
    }

    /** The closest threshold already reached, else the farthest one still ahead; null when none is left. */
    private Integer nextWarning(Instant now) {
        if (!now.isBefore(expiresAt)) {
            return null;
        }
        Integer closestDue = null;
        Integer farthestAhead = null;
        for (int days : ladder) {
            if (closestWarnedDays != null && days >= closestWarnedDays) {
                continue;
            }
            if (!warningTime(days).isAfter(now)) {
                closestDue = closestDue == null ? days : Math.min(closestDue, days);
            } else {
                farthestAhead = farthestAhead == null ? days : Math.max(farthestAhead, days);
            }
        }
        return closestDue != null ? closestDue : farthestAhead;
    }

    private Instant warningTime(int days) {
        return expiresAt.minus(Duration.ofDays(days));
    }

    private void cancelPending(DeadlineManager deadlines) {
        if (pendingDeadlineId != null) {
            deadlines.cancelSchedule(WARNING_DEADLINE, pendingDeadlineId);
            pendingDeadlineId = null;
            pendingDays = null;
        }
    }
}
