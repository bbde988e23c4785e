package io.tokenledger.command.scope;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.scope.DeleteScope;
import io.tokenledger.api.scope.RegisterScope;
import io.tokenledger.api.scope.ScopeDeleted;
import io.tokenledger.api.scope.ScopeId;
import io.tokenledger.api.scope.ScopeRegistered;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.command.CommandRole;
import io.tokenledger.api.PrintableText;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A platform scope: a name admins register so that tokens may carry it and resource servers learn it by
 * introspection. It grants nothing on Token Ledger itself. A deleted scope may be registered again.
 */
@CommandRole
@Aggregate
public class PlatformScope {
    /** Longest description. */
    public static final int MAX_DESCRIPTION_LENGTH = 500;

    @AggregateIdentifier
    private String scopeId;
    private boolean registered;

    protected PlatformScope() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RegisterScope command, ScopeCatalog catalog) {
        String name = checkedName(command.name());
        if (Scopes.BUILT_IN.contains(name)) {
            throw CommandRejected.conflict("'" + name + "' is a built-in scope");
        }
        if (registered) {
            throw CommandRejected.conflict("the scope '" + name + "' is already registered");
        }
        String description = command.description() == null ? "" : command.description().strip();
        if (description.codePointCount(0, description.length()) > MAX_DESCRIPTION_LENGTH) {
            throw CommandRejected.invalid("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        if (!PrintableText.isPrintable(description)) {
            throw CommandRejected.invalid("description", "must contain printable characters only");
        }
        apply(new ScopeRegistered(name, description, command.registeredBy(), now()));
        catalog.add(name);
    }

    @CommandHandler
    public void handle(DeleteScope command, ScopeCatalog catalog) {
        if (!registered) {
            throw CommandRejected.notFound("no scope '" + command.name() + "'");
        }
        if (catalog.heldByActiveToken(command.name())) {
            throw CommandRejected.conflict("an active token carries the scope '" + command.name() + "'");
        }
        apply(new ScopeDeleted(command.name(), command.deletedBy(), now()));
        catalog.remove(command.name());
    }

    /** A scope's name, or a 400 naming the rule. */
    public static String checkedName(String name) {
        if (name == null || !Scopes.NAME.matcher(name).matches()) {
            throw CommandRejected.invalid("name", "must match " + Scopes.NAME.pattern());
        }
        return name;
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    @EventSourcingHandler
    void on(ScopeRegistered event) {
        scopeId = ScopeId.of(event.name());
        registered = true;
    }

    @EventSourcingHandler
    void on(ScopeDeleted event) {
        registered = false;
    }
}
