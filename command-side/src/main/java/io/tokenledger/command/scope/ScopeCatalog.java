package io.tokenledger.command.scope;

import java.util.Collection;

/**
 * The platform scopes registered now, and which of them active tokens carry: the command side's set validation for
 * scopes, read and written in the command's transaction.
 */
public interface ScopeCatalog {

    /**
     * Every one of these platform scopes is registered; they stay so until this transaction ends (a deletion waits).
     *
     * @throws io.tokenledger.api.CommandRejected invalid (field {@code scopes}) naming the first that is not
     */
    void requireRegistered(Collection<String> platformScopes);

    /** Records a scope as registered. */
    void add(String name);

    /**
     * Whether an active token carries this scope, asked before deleting it: the scope is locked first, so a token
     * being created with it either has been committed and is counted, or waits and then finds the scope gone.
     */
    boolean heldByActiveToken(String name);

    /** Records a scope as deleted. */
    void remove(String name);
}
