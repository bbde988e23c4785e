package io.tokenledger.api.settings;

import java.util.List;

/**
 * The warning ladder changed to {@code daysBefore} (empty: warnings off) for the expiry sagas of one bucket of
 * tokens. No longer published: a ladder change now replans every token's warning through a set-based job. Kept so
 * that the announcements stores already hold stay readable.
 */
public record ExpiryWarningsRescheduled(int bucket, List<Integer> daysBefore, long policyVersion) {
    public ExpiryWarningsRescheduled {
        daysBefore = List.copyOf(daysBefore);
    }
}
