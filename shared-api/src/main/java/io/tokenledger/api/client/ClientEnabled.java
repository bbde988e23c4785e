package io.tokenledger.api.client;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A disabled client was enabled again. */
public record ClientEnabled(ClientId id, UserId enabledBy, Instant enabledAt) {
}
