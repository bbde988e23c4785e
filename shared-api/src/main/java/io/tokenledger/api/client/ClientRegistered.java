package io.tokenledger.api.client;

import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A client was registered, enabled, with the hash of its secret (never shown by the audit). */
public record ClientRegistered(ClientId id, String clientId, String name, TokenHash hash, String hint,
                               UserId registeredBy, Instant registeredAt) {
}
