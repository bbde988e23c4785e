package io.tokenledger.command.bulk;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.CommandRejected;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Background jobs' progress (admins, auditors): served by every instance, whichever one runs the job. */
@Tag(name = "Jobs")
@RestController
class JobController {
    private final BulkRevokeJobs jobs;

    JobController(BulkRevokeJobs jobs) {
        this.jobs = jobs;
    }

    @Operation(operationId = "getJob", summary = "A job's progress (admins, auditors)")
    @GetMapping("/api/jobs/{jobId}")
    BulkRevokeJobs.JobView job(@PathVariable UUID jobId) {
        return jobs.find(jobId).orElseThrow(() -> CommandRejected.notFound("no job " + jobId));
    }
}
