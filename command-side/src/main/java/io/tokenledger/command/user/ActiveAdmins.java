package io.tokenledger.command.user;

import io.tokenledger.api.user.UserId;

/**
 * Set validation for administrators: the active ones (role ADMIN, enabled) are kept in a table written in the same
 * transaction as the command that changes a user's role or status, so the last one cannot be removed, not even by
 * two commands at the same moment that each remove a different one of the last two.
 */
public interface ActiveAdmins {

    /** Counts the user among the active administrators (registered as, promoted to, or enabled as ADMIN). */
    void add(UserId userId);

    /**
     * Removes the user from the active administrators, unless no other active administrator would remain: then
     * removes nothing and returns false. A concurrent removal waits for this one's transaction to end.
     */
    boolean removeUnlessLast(UserId userId);
}
