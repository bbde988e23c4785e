package io.tokenledger.notifier.fault;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The Faults list (admins, auditors) and its acknowledgement (admins). */
@Tag(name = "Faults")
@RestController
class FaultController {
    private final Faults faults;

    FaultController(Faults faults) {
        this.faults = faults;
    }

    @Operation(operationId = "listFaults", summary = "List faults, a page at a time (admins, auditors)")
    @GetMapping("/api/faults")
    PageResult<FaultView> list(@RequestParam(required = false) FaultStatus status,
                               @RequestParam(required = false) UUID tokenId,
                               @RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer size,
                               @RequestParam(required = false) String sort) {
        return faults.list(new Faults.Filter(status, tokenId),
                PageParams.parse(page, size, sort, Faults.SORTABLE.keySet()));
    }

    @Operation(operationId = "getFault", summary = "One fault (admins, auditors)")
    @GetMapping("/api/faults/{id}")
    FaultView one(@PathVariable UUID id) {
        return faults.find(id).orElseThrow(() -> CommandRejected.notFound("no fault " + id));
    }

    @Operation(operationId = "acknowledgeFault", summary = "Acknowledge a fault (admins)")
    @PostMapping("/api/faults/{id}/acknowledge")
    FaultView acknowledge(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        if (!actor.isAdmin()) {
            throw CommandRejected.forbidden("only admins acknowledge faults");
        }
        return faults.acknowledge(id, actor.userId());
    }
}
