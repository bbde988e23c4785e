package io.tokenledger.api.token;

import io.tokenledger.api.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces a permanent token by a new one (new id and secret, same name and owner). Without a grace period the old
 * one is revoked at once; with one it keeps working, {@link TokenStatus#ROTATING}, until the grace ends (never past
 * its own expiry). The new token carries {@code scopes}, or the old one's when null.
 *
 * @param expiresAt   the new token's expiry, or null for the default lifetime
 * @param gracePeriod how long the old token keeps working ({@link #MAX_GRACE_PERIOD} at most), or null for none
 */
public record RotateToken(@TargetAggregateIdentifier TokenId tokenId, TokenId newTokenId, TokenHash hash, String hint,
                          Instant expiresAt, Actor actor, List<String> scopes, Duration gracePeriod) {
    /** Longest grace period a rotation may give the old token. */
    public static final Duration MAX_GRACE_PERIOD = Duration.ofDays(7);

    public RotateToken(TokenId tokenId, TokenId newTokenId, TokenHash hash, String hint, Instant expiresAt,
                       Actor actor, List<String> scopes) {
        this(tokenId, newTokenId, hash, hint, expiresAt, actor, scopes, null);
    }

    public RotateToken(TokenId tokenId, TokenId newTokenId, TokenHash hash, String hint, Instant expiresAt,
                       Actor actor) {
        this(tokenId, newTokenId, hash, hint, expiresAt, actor, null, null);
    }
}
