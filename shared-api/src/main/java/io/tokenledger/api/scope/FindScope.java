package io.tokenledger.api.scope;

/** Asks for one scope, built in or registered, by name. */
public record FindScope(String name) {
}
