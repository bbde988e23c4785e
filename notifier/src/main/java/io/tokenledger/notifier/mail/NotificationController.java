package io.tokenledger.notifier.mail;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The e-mail outbox as admins and auditors see it: what was queued, sent, or is still being retried. */
@Tag(name = "Notifications")
@RestController
class NotificationController {
    private final Outbox outbox;

    NotificationController(Outbox outbox) {
        this.outbox = outbox;
    }

    @Operation(operationId = "listNotifications", summary = "List e-mail notifications, a page at a time (admins, auditors)")
    @GetMapping("/api/notifications")
    PageResult<NotificationView> list(@RequestParam(required = false) NotificationStatus status,
                                      @RequestParam(required = false) UUID tokenId,
                                      @RequestParam(required = false) @Size(max = 254) String recipient,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer size,
                                      @RequestParam(required = false) String sort) {
        return outbox.list(new Outbox.Filter(status, tokenId, recipient),
                PageParams.parse(page, size, sort, Outbox.SORTABLE.keySet()));
    }

    @Operation(operationId = "getNotification", summary = "One e-mail notification (admins, auditors)")
    @GetMapping("/api/notifications/{id}")
    NotificationView one(@PathVariable UUID id) {
        return outbox.find(id).orElseThrow(() -> CommandRejected.notFound("no notification " + id));
    }
}
