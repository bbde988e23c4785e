package io.tokenledger.query.replay;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operations on the processing groups (admins): their positions, and rebuilding a read model. */
@Tag(name = "Projections")
@RestController
class ProjectionController {
    private final ProjectionReplays replays;

    ProjectionController(ProjectionReplays replays) {
        this.replays = replays;
    }

    @Operation(operationId = "listProjections", summary = "The projections and their replay state (admins)")
    @GetMapping("/api/admin/projections")
    List<ProjectionStatus> list() {
        return replays.list();
    }

    /** Starts a replay and answers at once; its progress shows in the list. */
    @Operation(operationId = "replayProjection", summary = "Start rebuilding a projection from the event store (admins)")
    @ApiResponse(responseCode = "202", description = "The replay has started; poll the projection list for its progress")
    @PostMapping("/api/admin/projections/{name}/replay")
    ResponseEntity<ProjectionStatus> replay(@Parameter(schema = @Schema(maxLength = 100)) @PathVariable String name) {
        return ResponseEntity.accepted().body(replays.start(name));
    }
}
