package io.tokenledger.query.replay;

import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.EventMessage;

/**
 * A read model that can be rebuilt from the event store while its live tables keep serving reads. Its
 * {@link #apply} is the one definition of what an event does to its tables: the live event handlers call it
 * with {@link ProjectionWrites#live} (and add live-only effects such as notifications or cache evictions),
 * a replay calls it with batched writes into the replay tables. Applying an event again, also after later
 * ones, must change nothing: after a swap the live processors resume from their own positions.
 */
public interface ReplayableProjection {
    /** The processing group of the live handlers. */
    String group();

    /** The live tables this projection writes, each with a {@code <table>_replay} twin. */
    List<String> tables();

    /**
     * Applies one event this projection handles (one its {@code @EventHandler}s accept) to the target tables.
     * Throws for an event it has no rule for, so a handler added without one fails a replay loudly.
     */
    void apply(EventMessage<?> event, ProjectionWrites writes);

    /**
     * The non-unique indexes of its live tables that its rules look rows up by; a rebuild keeps these on the
     * replay tables and builds the others once the bulk of the events is in.
     */
    default Set<String> lookupIndexes() {
        return Set.of();
    }

    /** Runs on this instance after a rebuilt table set became the live one, e.g. to drop cached rows. */
    default void swapped() {
    }
}
