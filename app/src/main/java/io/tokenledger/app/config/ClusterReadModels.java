package io.tokenledger.app.config;

import io.tokenledger.command.ConsistentCommands;
import io.tokenledger.command.ReadModels;
import io.tokenledger.query.live.ProjectionProgress;
import java.util.List;
import java.util.Map;
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

    @Override
    public List<String> behind(long globalIndex) {
        return progress.running().entrySet().stream()
                .filter(group -> ConsistentCommands.isProjection(group.getKey()))
                .filter(group -> !group.getValue().covers(globalIndex))
                .map(Map.Entry::getKey)
                .toList();
    }
}
