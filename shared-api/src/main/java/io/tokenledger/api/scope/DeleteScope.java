package io.tokenledger.api.scope;

import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Deletes a platform scope that no active token carries. */
public record DeleteScope(@TargetAggregateIdentifier String scopeId, String name, UserId deletedBy) {

    public DeleteScope(String name, UserId deletedBy) {
        this(ScopeId.of(name), name, deletedBy);
    }
}
