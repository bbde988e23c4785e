package io.tokenledger.command;

import java.util.List;

/** How far the read models have come, wherever in the cluster they run. */
public interface ReadModels {

    /**
     * The running projections that have not yet handled every committed event up to this global index; empty
     * once all have.
     */
    List<String> behind(long globalIndex);
}
