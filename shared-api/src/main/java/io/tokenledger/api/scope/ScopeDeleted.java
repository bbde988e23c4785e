package io.tokenledger.api.scope;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A platform scope was deleted; no active token carried it. */
public record ScopeDeleted(String name, UserId deletedBy, Instant deletedAt) {
}
