package io.tokenledger.api.client;

/** Whether a client's secret authenticates. */
public enum ClientStatus {
    ENABLED, DISABLED
}
