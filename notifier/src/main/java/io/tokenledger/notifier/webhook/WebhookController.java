package io.tokenledger.notifier.webhook;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Webhook endpoints (admins register and change them; auditors read them) and their delivery logs. */
@RestController
class WebhookController {
    private final WebhookEndpoints endpoints;

    WebhookController(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /** A registration: the URL, the event types (or {@code ["*"]}) and an optional description. */
    record Registration(String url, List<String> events, String description) {
    }

    /** A change: what is given is changed. */
    record Change(String url, List<String> events, String description, Boolean enabled) {
    }

    /** A new secret, shown this once. */
    record Secret(String secret) {
        /** Never the secret: the web layer logs what it writes at debug level. */
        @Override
        public String toString() {
            return "Secret[whsec_…]";
        }
    }

    @PostMapping("/api/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    WebhookEndpoints.Registered register(@RequestBody Registration body, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return endpoints.register(body.url(), body.events(), body.description(), actor.userId());
    }

    @GetMapping("/api/webhooks")
    PageResult<WebhookView> list(@RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size,
                                 @RequestParam(required = false) String sort) {
        return endpoints.list(PageParams.parse(page, size, sort, WebhookEndpoints.SORTABLE.keySet()));
    }

    @GetMapping("/api/webhooks/{id}")
    WebhookView one(@PathVariable UUID id) {
        return endpoints.find(id).orElseThrow(() -> CommandRejected.notFound("no webhook " + id));
    }

    @PutMapping("/api/webhooks/{id}")
    WebhookView change(@PathVariable UUID id, @RequestBody Change body, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return endpoints.change(id, body.url(), body.events(), body.description(), body.enabled());
    }

    @DeleteMapping("/api/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        endpoints.delete(id);
    }

    @PostMapping("/api/webhooks/{id}/rotate-secret")
    @ResponseStatus(HttpStatus.CREATED)
    Secret rotateSecret(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return new Secret(endpoints.rotateSecret(id));
    }

    @PostMapping("/api/webhooks/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, UUID> test(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return Map.of("deliveryId", endpoints.test(id, actor.userId()));
    }

    @GetMapping("/api/webhooks/{id}/deliveries")
    PageResult<DeliveryView> deliveries(@PathVariable UUID id,
                                        @RequestParam(required = false) DeliveryStatus status,
                                        @RequestParam(required = false) Integer page,
                                        @RequestParam(required = false) Integer size,
                                        @RequestParam(required = false) String sort) {
        return endpoints.deliveries(id, status, PageParams.parse(page, size, sort, WebhookOutbox.SORTABLE.keySet()));
    }

    @GetMapping("/api/webhooks/{id}/deliveries/{deliveryId}")
    DeliveryView delivery(@PathVariable UUID id, @PathVariable UUID deliveryId) {
        return endpoints.delivery(id, deliveryId)
                .orElseThrow(() -> CommandRejected.notFound("no delivery " + deliveryId + " of webhook " + id));
    }

    @PostMapping("/api/webhooks/{id}/deliveries/{deliveryId}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void retry(@PathVariable UUID id, @PathVariable UUID deliveryId, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        endpoints.redeliver(id, deliveryId);
    }

    private static void requireAdmin(Actor actor) {
        if (!actor.isAdmin()) {
            throw CommandRejected.forbidden("only admins manage webhooks");
        }
    }
}
