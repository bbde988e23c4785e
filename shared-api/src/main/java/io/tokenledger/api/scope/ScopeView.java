package io.tokenledger.api.scope;

import java.time.Instant;

/** A scope as {@code GET /api/scopes} lists it; built-in scopes have no creation time. */
public record ScopeView(String name, String description, boolean builtIn, Instant createdAt) {
}
