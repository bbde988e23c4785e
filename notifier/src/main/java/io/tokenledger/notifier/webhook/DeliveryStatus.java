package io.tokenledger.notifier.webhook;

/** Where a webhook delivery stands. */
public enum DeliveryStatus {
    /** Not yet delivered: due, or waiting for a retry. */
    PENDING,
    /** The endpoint answered 2xx. */
    SENT,
    /** The endpoint refused it (a 4xx other than 408 and 429, a redirect), or its address was refused. */
    FAILED
}
