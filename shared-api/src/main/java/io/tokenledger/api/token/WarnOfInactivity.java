package io.tokenledger.api.token;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent by the inactivity policy's daily run for an active permanent token unused since {@code unusedSince} (its last
 * use, or its creation), which the run will revoke at {@code revokeAt} unless it is used before. The token records
 * the warning once per such period of disuse: a use in between starts another.
 */
public record WarnOfInactivity(@TargetAggregateIdentifier TokenId tokenId, Instant unusedSince, Instant revokeAt) {
}
