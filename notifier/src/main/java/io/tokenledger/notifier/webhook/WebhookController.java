package io.tokenledger.notifier.webhook;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
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
@Tag(name = "Webhooks")
@RestController
class WebhookController {
    private final WebhookEndpoints endpoints;

    WebhookController(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /** A registration: the URL, the event types (or {@code ["*"]}) and an optional description. */
    record Registration(@Schema(maxLength = 2000, example = "https://hooks.example.com/tokenledger",
                                description = "An https URL of a public host") String url,
                        @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 64, example = "token.revoked",
                    description = "An event type (token.created, token.rotated, token.revoked, token.expired, "
                            + "token.expiry_approaching, token.leaked, token.reused_after_rotation, user.disabled, "
                            + "client.created, "
                            + "client.disabled), or \"*\" alone for all"))
            @Size(max = 100) List<String> events,
                        @Schema(maxLength = 500, example = "Deploy pipeline") String description) {
    }

    /** A change: what is given is changed. */
    record Change(@Schema(maxLength = 2000, example = "https://hooks.example.com/tokenledger") String url,
                  @ArraySchema(maxItems = 100, schema = @Schema(maxLength = 64, example = "token.revoked",
                    description = "An event type (token.created, token.rotated, token.revoked, token.expired, "
                            + "token.expiry_approaching, token.leaked, token.reused_after_rotation, user.disabled, "
                            + "client.created, "
                            + "client.disabled), or \"*\" alone for all"))
            @Size(max = 100) List<String> events,
                  @Schema(maxLength = 500) String description, Boolean enabled) {
    }

    /** A new secret, shown this once. */
    record Secret(@Schema(maxLength = 100, description = "The new signing secret (whsec_…), shown this once")
                  String secret) {
        /** Never the secret: the web layer logs what it writes at debug level. */
        @Override
        public String toString() {
            return "Secret[whsec_…]";
        }
    }

    @Operation(operationId = "createWebhook", summary = "Register a webhook endpoint (admins); its signing secret is shown once")
    @PostMapping("/api/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    WebhookEndpoints.Registered register(@Valid @RequestBody Registration body, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return endpoints.register(body.url(), body.events(), body.description(), actor.userId());
    }

    @Operation(operationId = "listWebhooks", summary = "List webhook endpoints, a page at a time (admins, auditors)")
    @GetMapping("/api/webhooks")
    PageResult<WebhookView> list(@RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size,
                                 @RequestParam(required = false) String sort) {
        return endpoints.list(PageParams.parse(page, size, sort, WebhookEndpoints.SORTABLE.keySet()));
    }

    @Operation(operationId = "getWebhook", summary = "One webhook endpoint (admins, auditors)")
    @GetMapping("/api/webhooks/{id}")
    WebhookView one(@PathVariable UUID id) {
        return endpoints.find(id).orElseThrow(() -> CommandRejected.notFound("no webhook " + id));
    }

    @Operation(operationId = "changeWebhook", summary = "Change a webhook endpoint: what is given is changed (admins)")
    @PutMapping("/api/webhooks/{id}")
    WebhookView change(@PathVariable UUID id, @Valid @RequestBody Change body, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return endpoints.change(id, body.url(), body.events(), body.description(), body.enabled());
    }

    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook endpoint (admins)")
    @DeleteMapping("/api/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        endpoints.delete(id);
    }

    @Operation(operationId = "rotateWebhookSecret", summary = "Replace an endpoint's signing secret; the old one signs too for a while (admins)")
    @PostMapping("/api/webhooks/{id}/rotate-secret")
    @ResponseStatus(HttpStatus.CREATED)
    Secret rotateSecret(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return new Secret(endpoints.rotateSecret(id));
    }

    @Operation(operationId = "testWebhook", summary = "Queue a test ping to an endpoint (admins)")
    @PostMapping("/api/webhooks/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    TestDelivery test(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        return new TestDelivery(endpoints.test(id, actor.userId()));
    }

    @Operation(operationId = "listWebhookDeliveries", summary = "An endpoint's deliveries, a page at a time (admins, auditors)")
    @GetMapping("/api/webhooks/{id}/deliveries")
    PageResult<DeliveryView> deliveries(@PathVariable UUID id,
                                        @RequestParam(required = false) DeliveryStatus status,
                                        @RequestParam(required = false) Integer page,
                                        @RequestParam(required = false) Integer size,
                                        @RequestParam(required = false) String sort) {
        return endpoints.deliveries(id, status, PageParams.parse(page, size, sort, WebhookOutbox.SORTABLE.keySet()));
    }

    @Operation(operationId = "getWebhookDelivery", summary = "One delivery with its last attempt (admins, auditors)")
    @GetMapping("/api/webhooks/{id}/deliveries/{deliveryId}")
    DeliveryView delivery(@PathVariable UUID id, @PathVariable UUID deliveryId) {
        return endpoints.delivery(id, deliveryId)
                .orElseThrow(() -> CommandRejected.notFound("no delivery " + deliveryId + " of webhook " + id));
    }

    @Operation(operationId = "retryWebhookDelivery", summary = "Deliver again now (admins)")
    @PostMapping("/api/webhooks/{id}/deliveries/{deliveryId}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void retry(@PathVariable UUID id, @PathVariable UUID deliveryId, @AuthenticationPrincipal Actor actor) {
        requireAdmin(actor);
        endpoints.redeliver(id, deliveryId);
    }

    /** The delivery a test ping was queued as. */
    record TestDelivery(UUID deliveryId) {
    }

    private static void requireAdmin(Actor actor) {
        if (!actor.isAdmin()) {
            throw CommandRejected.forbidden("only admins manage webhooks");
        }
    }
}
