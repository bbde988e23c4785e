package io.tokenledger.api.token;

import io.tokenledger.api.TimeOrderedUuids;
import java.util.Objects;
import java.util.UUID;

/** Identity of a token; its string form is the aggregate identifier in the event store. */
public record TokenId(UUID value) {
    public TokenId {
        Objects.requireNonNull(value, "value");
    }

    /** A new identity, time-ordered ({@link TimeOrderedUuids}). */
    public static TokenId random() {
        return new TokenId(TimeOrderedUuids.next());
    }

    public static TokenId of(String value) {
        return new TokenId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
