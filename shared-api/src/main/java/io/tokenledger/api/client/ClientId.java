package io.tokenledger.api.client;

import io.tokenledger.api.TimeOrderedUuids;
import java.util.Objects;
import java.util.UUID;

/** Identity of a registered client (a resource server); its string form is the aggregate identifier. */
public record ClientId(UUID value) {
    public ClientId {
        Objects.requireNonNull(value, "value");
    }

    /** A new identity, time-ordered ({@link TimeOrderedUuids}). */
    public static ClientId random() {
        return new ClientId(TimeOrderedUuids.next());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
