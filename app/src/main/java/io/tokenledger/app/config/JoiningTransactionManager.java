package io.tokenledger.app.config;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The event processors' transactions. A subscribing processor handles a command's events inside the command's own
 * transaction, once for each of its groups: it joins that transaction as it is, bound to the thread, instead of
 * asking the platform transaction manager to take part in it (which, ten groups an event, was a twelfth of a
 * create-token's application time in the profile). Where no transaction is active (a tracking processor's batch, an
 * event published outside any transaction) it starts one through {@code delegate}, as before.
 *
 * <p>A joined transaction's commit and rollback do nothing: the transaction belongs to the command. A handler that
 * fails rolls the command back all the same, since every processor propagates its handlers' exceptions (the
 * {@code PropagatingErrorHandler} in {@link AxonConfig}).
 */
final class JoiningTransactionManager implements TransactionManager {
    private static final Transaction JOINED = new Transaction() {
        @Override
        public void commit() {
        }

        @Override
        public void rollback() {
        }
    };

    private final TransactionManager delegate;

    JoiningTransactionManager(TransactionManager delegate) {
        this.delegate = delegate;
    }

    /** Whether the calling thread is inside a transaction already. */
    static boolean active() {
        return TransactionSynchronizationManager.isActualTransactionActive();
    }

    @Override
    public Transaction startTransaction() {
        return active() ? JOINED : delegate.startTransaction();
    }
}
