package io.tokenledger.api.client;

import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A client's secret was replaced; the old one no longer authenticates. */
public record ClientSecretRotated(ClientId id, TokenHash hash, String hint, UserId rotatedBy, Instant rotatedAt) {
}
