package io.tokenledger.api.client;

import java.util.Objects;
import java.util.UUID;

/** Identity of a registered client (a resource server); its string form is the aggregate identifier. */
public record ClientId(UUID value) {
    public ClientId {
        Objects.requireNonNull(value, "value");
    }

    public static ClientId random() {
        return new ClientId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
