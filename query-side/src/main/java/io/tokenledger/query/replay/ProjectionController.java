package io.tokenledger.query.replay;

import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operations on the processing groups (admins): their positions, and rebuilding a read model. */
@RestController
class ProjectionController {
    private final ProjectionReplays replays;

    ProjectionController(ProjectionReplays replays) {
        this.replays = replays;
    }

    @GetMapping("/api/admin/projections")
    List<ProjectionStatus> list() {
        return replays.list();
    }

    /** Starts a replay and answers at once; its progress shows in the list. */
    @PostMapping("/api/admin/projections/{name}/replay")
    ResponseEntity<ProjectionStatus> replay(@PathVariable String name) {
        return ResponseEntity.accepted().body(replays.start(name));
    }
}
