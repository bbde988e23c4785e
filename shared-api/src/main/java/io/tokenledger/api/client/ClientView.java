package io.tokenledger.api.client;

import java.time.Instant;

/** A client as admins and auditors see it: never its secret or its hash. */
public record ClientView(String id, String clientId, String name, String hint, Instant createdAt, String createdBy,
                         Instant lastUsedAt, ClientStatus status) {
}
