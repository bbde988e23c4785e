package io.tokenledger.api.token;

/**
 * Where a token is in its life; a revoked or expired token never authenticates again. A rotating token was rotated
 * with a grace period: it still authenticates until the grace ends (or it expires, if that comes first).
 */
public enum TokenStatus {
    ACTIVE, EXPIRED, REVOKED, ROTATING
}
