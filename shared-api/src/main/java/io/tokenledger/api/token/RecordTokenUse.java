package io.tokenledger.api.token;

import java.time.Duration;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records that a token authenticated a request; ignored within {@code interval} of the last recorded use. */
public record RecordTokenUse(@TargetAggregateIdentifier TokenId tokenId, Instant usedAt, String clientIp,
                             Duration interval) {
}
