package io.tokenledger.api.token;

/** Where a token is in its life; a revoked or expired token never authenticates again. */
public enum TokenStatus {
    ACTIVE, EXPIRED, REVOKED
}
