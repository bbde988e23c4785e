package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/** A temporary token was issued at login; it lives until {@code expiresAt} or logout. */
public record TemporaryTokenIssued(TokenId tokenId, UserId userId, TokenHash hash, String hint, Instant issuedAt,
                                   Instant expiresAt) {
}
