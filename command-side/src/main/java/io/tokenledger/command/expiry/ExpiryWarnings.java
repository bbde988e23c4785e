package io.tokenledger.command.expiry;

import io.tokenledger.api.token.TokenId;
import java.time.Instant;

/**
 * The expiry-warning plan of every active permanent token, and the one task of each active token that fires when the
 * token must next act: a permanent token's pending warning, or else its expiry; a temporary token's expiry. Written
 * by the Token aggregate in the transaction of the command that changes the plan. The task is a db-scheduler task
 * whose instance is the token id: one per token, so a ladder change rewrites them all with a few set-based
 * statements, and a token's expiry costs no task of its own.
 */
public interface ExpiryWarnings {
    /** Name of the db-scheduler task that fires a token's pending warning or its expiry. */
    String TASK = "token-expiry-warning";

    /**
     * Records the plan of an active permanent token: its expiry, the closest warning given so far, and the warning
     * now pending (none if null), planned from the ladder of {@code policyVersion}. Its task fires at the pending
     * warning, or at the expiry when none is pending.
     */
    void plan(TokenId tokenId, Instant expiresAt, Integer closestWarnedDays, Pending next, long policyVersion);

    /** Sets the task of a token that is never warned (a temporary token) to fire at its expiry. */
    void expireAt(TokenId tokenId, Instant expiresAt);

    /**
     * Forgets the plan of a token that is no longer active, and its task. A warning some instance is
     * firing at this moment is left to that firing, which then finds the token inactive and removes it.
     */
    void cancel(TokenId tokenId);

    /**
     * Asks for every token's warning to be replanned from the ladder in force, by a job that starts once this
     * transaction commits (and runs again if it was running).
     */
    void replanAll();

    /** A pending warning: the threshold, in days before expiry, and when it fires. */
    record Pending(int daysBefore, Instant at) {
    }
}
