package io.tokenledger.api.settings;

import java.util.List;

/**
 * The warning ladder changed to {@code daysBefore} (empty: warnings off) for the expiry sagas of one bucket of
 * tokens. A change is announced once per bucket so that each event touches a bounded number of sagas.
 */
public record ExpiryWarningsRescheduled(int bucket, List<Integer> daysBefore, long policyVersion) {
    public ExpiryWarningsRescheduled {
        daysBefore = List.copyOf(daysBefore);
    }
}
