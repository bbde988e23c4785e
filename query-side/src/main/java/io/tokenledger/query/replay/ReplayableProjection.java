package io.tokenledger.query.replay;

import java.util.List;
import java.util.Set;

/**
 * A read model that can be rebuilt from the event store while its live tables keep serving reads. Its
 * {@code @EventHandler}s are the one definition of what an event does to its tables: each writes through the
 * {@link ProjectionWrites} it takes as a parameter, the live tables when its processor calls it and batched
 * writes into the twin tables when a rebuild does ({@link ProjectionWritesResolver}); live-only effects such as
 * cache evictions go through {@link ProjectionWrites#ifLive}. Applying an event again, also after later ones,
 * must change nothing: after a swap the live processors resume from their own positions.
 */
public interface ReplayableProjection {
    /** The processing group of the live handlers. */
    String group();

    /** The live tables this projection writes; a rebuild copies each into a {@code <table>_replay} twin. */
    List<String> tables();

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
