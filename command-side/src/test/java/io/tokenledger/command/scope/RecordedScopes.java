package io.tokenledger.command.scope;

import io.tokenledger.api.CommandRejected;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The scope catalog of fixture tests: registered names and the scopes active tokens carry, in memory. */
public class RecordedScopes implements ScopeCatalog {
    private final Set<String> registered = new HashSet<>();
    private final Set<String> held = new HashSet<>();

    /** Marks a scope as carried by some active token. */
    public RecordedScopes held(String name) {
        held.add(name);
        return this;
    }

    /** Registers scopes directly. */
    public RecordedScopes registered(String... names) {
        registered.addAll(Set.of(names));
        return this;
    }

    public boolean isRegistered(String name) {
        return registered.contains(name);
    }

    @Override
    public void requireRegistered(Collection<String> platformScopes) {
        for (String scope : platformScopes) {
            if (!registered.contains(scope)) {
                throw CommandRejected.invalid("scopes", "unknown scope '" + scope + "'");
            }
        }
    }

    @Override
    public void add(String name) {
        registered.add(name);
    }

    @Override
    public boolean heldByActiveToken(String name) {
        return held.contains(name);
    }

    @Override
    public void remove(String name) {
        registered.remove(name);
    }
}
