package io.tokenledger.notifier.fault;

/** Where a fault stands: raised, seen by an admin, or resolved because its token was revoked. */
public enum FaultStatus {
    OPEN, ACKNOWLEDGED, CLEARED
}
