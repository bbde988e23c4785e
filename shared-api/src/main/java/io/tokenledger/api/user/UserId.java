package io.tokenledger.api.user;

import io.tokenledger.api.TimeOrderedUuids;
import java.util.Objects;
import java.util.UUID;

/** Identity of a user; its string form is the aggregate identifier in the event store. */
public record UserId(UUID value) {
    public UserId {
        Objects.requireNonNull(value, "value");
    }

    /** A new identity, time-ordered ({@link TimeOrderedUuids}). */
    public static UserId random() {
        return new UserId(TimeOrderedUuids.next());
    }

    public static UserId of(String value) {
        return new UserId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
