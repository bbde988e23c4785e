package io.tokenledger.api.token;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A rotating token was used after its successor had been used: recorded once per token, as an alert, not a
 * revocation. Sent by the system when the recorded uses show it.
 */
public record ReportRotatedTokenReuse(@TargetAggregateIdentifier TokenId tokenId) {
    /** Name of the db-scheduler task, one instance per token (its id), that sends this command. */
    public static final String TASK = "rotated-token-reuse";
}
