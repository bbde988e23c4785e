package io.tokenledger.api.client;

/** Asks for one client's view. */
public record FindClient(ClientId id) {
}
