package io.tokenledger.command.expiry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one definition of which expiry warning a token waits for: the Token aggregate plans with it when the token is
 * created and after each warning, and the replan job with it for every token when the ladder changes.
 */
public final class WarningLadder {
    private WarningLadder() {
    }

    /**
     * The warning to plan at {@code now}: the closest threshold already reached (when several have passed, only the
     * closest fires, at once), else the farthest one still ahead; a threshold at or above {@code closestWarnedDays}
     * never fires again. Null when none is left or the token has expired.
     */
    public static ExpiryWarnings.Pending next(List<Integer> ladder, Instant expiresAt, Integer closestWarnedDays,
                                              Instant now) {
        if (!now.isBefore(expiresAt)) {
            return null;
        }
        Integer closestDue = null;
        Integer farthestAhead = null;
        for (int days : ladder) {
            if (closestWarnedDays != null && days >= closestWarnedDays) {
                continue;
            }
            if (!warningTime(expiresAt, days).isAfter(now)) {
                closestDue = closestDue == null ? days : Math.min(closestDue, days);
            } else {
                farthestAhead = farthestAhead == null ? days : Math.max(farthestAhead, days);
            }
        }
        if (closestDue != null) {
            return new ExpiryWarnings.Pending(closestDue, now);
        }
        return farthestAhead == null ? null
                : new ExpiryWarnings.Pending(farthestAhead, warningTime(expiresAt, farthestAhead));
    }

    /** When the warning {@code days} before expiry is due. */
    public static Instant warningTime(Instant expiresAt, int days) {
        return expiresAt.minus(Duration.ofDays(days));
    }
}
