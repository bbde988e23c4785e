package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.notifier.fault.FaultStatus;
import io.tokenledger.notifier.fault.FaultView;
import io.tokenledger.notifier.fault.Faults;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Faults: the expiry faults the notifier raised, filtered by status, a page at a time, with Acknowledge for admins. */
@Controller
class FaultsController {
    private final Faults faults;
    private final int pageSize;

    FaultsController(Faults faults, TokenLedgerProperties properties) {
        this.faults = faults;
        this.pageSize = properties.console().pageSize();
    }

    @GetMapping("/faults")
    String list(@RequestParam(required = false) FaultStatus status, @RequestParam(defaultValue = "0") int page,
                @RequestParam(required = false) String sort, Model model) {
        // Open faults are the ones that need attention, so they are what the page shows first.
        FaultStatus shown = status == null ? FaultStatus.OPEN : status;
        model.addAttribute("activeNav", "faults");
        model.addAttribute("status", shown);
        model.addAttribute("statuses", FaultStatus.values());
        // Newest first unless a column header sorts it.
        Sorting sorting = Sorting.of(sort, Faults.SORTABLE.keySet());
        model.addAttribute("sorting", sorting);
        PageResult<FaultView> result = faults.list(new Faults.Filter(shown, null), sorting.field() == null
                ? new PageParams(Math.max(0, page), pageSize, "raisedAt", false)
                : new PageParams(Math.max(0, page), pageSize, sorting.field(), sorting.ascending()));
        model.addAttribute("faults", result.items());
        model.addAttribute("pager", Pager.of(result));
        return "faults";
    }

    @PostMapping("/faults/{id}/acknowledge")
    String acknowledge(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        faults.acknowledge(id, actor.userId());
        return "redirect:/faults?acknowledged";
    }
}
