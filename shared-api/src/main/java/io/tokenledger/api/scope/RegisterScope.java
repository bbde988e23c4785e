package io.tokenledger.api.scope;

import io.tokenledger.api.user.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers a platform scope (again, if it was deleted); a name registered and not deleted is a conflict. */
public record RegisterScope(@TargetAggregateIdentifier String scopeId, String name, String description,
                            UserId registeredBy) {

    public RegisterScope(String name, String description, UserId registeredBy) {
        this(ScopeId.of(name), name, description, registeredBy);
    }
}
