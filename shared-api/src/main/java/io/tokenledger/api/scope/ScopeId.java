package io.tokenledger.api.scope;

/** A platform scope is an aggregate of its own; its id is its name behind a prefix no token id has. */
public final class ScopeId {
    private static final String PREFIX = "scope:";

    private ScopeId() {
    }

    /** The aggregate id of the scope of this name. */
    public static String of(String name) {
        return PREFIX + name;
    }
}
