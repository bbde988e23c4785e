package io.tokenledger.api.scope;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A platform scope was registered: tokens may carry it, introspection reports it. */
public record ScopeRegistered(String name, String description, UserId registeredBy, Instant registeredAt) {
}
