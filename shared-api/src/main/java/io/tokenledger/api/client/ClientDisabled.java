package io.tokenledger.api.client;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A client was disabled: its secret no longer authenticates. */
public record ClientDisabled(ClientId id, UserId disabledBy, Instant disabledAt) {
}
