package io.tokenledger.app.config;

import io.tokenledger.command.ConsistentCommands;
import io.tokenledger.command.ReadModels;
import io.tokenledger.query.live.ProjectionProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Read models' progress as the shared token store shows it, so read-your-writes holds across instances: a
 * projection whose segments another instance claims counts as much as one running here.
 */
@Component
class ClusterReadModels implements ReadModels {
    private final ProjectionProgress progress;

    ClusterReadModels(ProjectionProgress progress) {
        this.progress = progress;
    }

    /**
     * The projections that have not handled every committed event up to {@code head}. Reaching the head is not
     * enough: a segment that read past an event still uncommitted then keeps it as a gap, and the write waiting
     * here may be that very event.
     */
    @Override
    public List<String> behind(long head) {
        List<String> behind = new ArrayList<>();
        Map<String, Set<Long>> gaps = new HashMap<>();
        progress.running().forEach((group, snapshot) -> {
            if (!ConsistentCommands.isProjection(group)) {
                return;
            }
            if (!snapshot.reached(head)) {
                behind.add(group);
            } else {
                Set<Long> open = snapshot.gapsUpTo(head);
                if (!open.isEmpty()) {
                    gaps.put(group, open);
                }
            }
        });
        if (!gaps.isEmpty()) {
            Set<Long> committed = progress.committed(gaps.values().stream().flatMap(Set::stream)
                    .collect(Collectors.toSet()));
            gaps.forEach((group, open) -> {
                if (open.stream().anyMatch(committed::contains)) {
                    behind.add(group);
                }
            });
        }
        return behind;
    }
}
