package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import io.tokenledger.notifier.webhook.DeliveryView;
import io.tokenledger.notifier.webhook.WebhookEndpoints;
import io.tokenledger.notifier.webhook.WebhookEventType;
import io.tokenledger.notifier.webhook.WebhookView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Administrator → Webhooks: the endpoints and an Add form (the new secret shown once), and per endpoint its
 * settings, Send test, Enable/Disable, Rotate secret, Delete and its delivery log with Redeliver. Auditors read.
 */
@Controller
class WebhooksController {
    private final WebhookEndpoints endpoints;
    private final int pageSize;

    WebhooksController(WebhookEndpoints endpoints, @Value("${tokenledger.console.page-size:50}") int pageSize) {
        this.endpoints = endpoints;
        this.pageSize = Math.min(Math.max(1, pageSize), PageParams.MAX_SIZE);
    }

    /** The Add form as typed, and what was wrong with it, by field. */
    record WebhookForm(String url, List<String> events, String description, Map<String, String> errors) {
        static WebhookForm empty() {
            return new WebhookForm("", List.of(), "", Map.of());
        }
    }

    @GetMapping("/admin/webhooks")
    String list(@RequestParam(defaultValue = "0") int page, Model model) {
        return listPage(model, page, WebhookForm.empty());
    }

    @PostMapping("/admin/webhooks")
    String add(@RequestParam(defaultValue = "") String url, @RequestParam(required = false) List<String> events,
               @RequestParam(defaultValue = "") String description, @AuthenticationPrincipal Actor actor,
               Model model) {
        List<String> chosen = events == null ? List.of() : events;
        // "All events" stands for every type, whatever else was ticked beside it
        List<String> types = chosen.contains(WebhookEventType.ALL) ? List.of(WebhookEventType.ALL) : chosen;
        try {
            WebhookEndpoints.Registered registered = endpoints.register(url, types, description, actor.userId());
            model.addAttribute("secret", registered.secret());
            return detailPage(registered.id(), 0, model);
        } catch (CommandRejected e) {
            Map<String, String> errors = new LinkedHashMap<>();
            errors.put(e.field() == null ? "url" : e.field(), e.getMessage());
            return listPage(model, 0, new WebhookForm(url, chosen, description, errors));
        }
    }

    @GetMapping("/admin/webhooks/{id}")
    String detail(@PathVariable UUID id, @RequestParam(defaultValue = "0") int page, Model model) {
        return detailPage(id, page, model);
    }

    @PostMapping("/admin/webhooks/{id}/test")
    String test(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        endpoints.test(id, actor.userId());
        return "redirect:/admin/webhooks/" + id + "?tested";
    }

    @PostMapping("/admin/webhooks/{id}/enable")
    String enable(@PathVariable UUID id) {
        endpoints.change(id, null, null, null, true);
        return "redirect:/admin/webhooks/" + id + "?enabled";
    }

    @PostMapping("/admin/webhooks/{id}/disable")
    String disable(@PathVariable UUID id) {
        endpoints.change(id, null, null, null, false);
        return "redirect:/admin/webhooks/" + id + "?disabled";
    }

    @PostMapping("/admin/webhooks/{id}/events")
    String events(@PathVariable UUID id, @RequestParam(required = false) List<String> events, Model model) {
        List<String> chosen = events == null ? List.of() : events;
        try {
            endpoints.change(id, null, chosen.contains(WebhookEventType.ALL) ? List.of(WebhookEventType.ALL) : chosen,
                    null, null);
            return "redirect:/admin/webhooks/" + id + "?eventsChanged";
        } catch (CommandRejected e) {
            if (e.reason() != CommandRejected.Reason.INVALID) {
                throw e;
            }
            model.addAttribute("eventsError", e.getMessage());
            return detailPage(id, 0, model);
        }
    }

    @PostMapping("/admin/webhooks/{id}/rotate-secret")
    String rotate(@PathVariable UUID id, Model model) {
        model.addAttribute("secret", endpoints.rotateSecret(id));
        return detailPage(id, 0, model);
    }

    @PostMapping("/admin/webhooks/{id}/delete")
    String delete(@PathVariable UUID id) {
        endpoints.delete(id);
        return "redirect:/admin/webhooks?deleted";
    }

    @PostMapping("/admin/webhooks/{id}/deliveries/{deliveryId}/retry")
    String redeliver(@PathVariable UUID id, @PathVariable UUID deliveryId) {
        endpoints.redeliver(id, deliveryId);
        return "redirect:/admin/webhooks/" + id + "?redelivered";
    }

    private String listPage(Model model, int page, WebhookForm form) {
        PageResult<WebhookView> result = endpoints.list(new PageParams(Math.max(0, page), pageSize, null, true));
        model.addAttribute("activeNav", "webhooks");
        model.addAttribute("webhooks", result.items());
        model.addAttribute("pager", Pager.of(result));
        model.addAttribute("form", form);
        model.addAttribute("eventTypes", eventTypes());
        return "webhooks";
    }

    private String detailPage(UUID id, int page, Model model) {
        WebhookView webhook = endpoints.find(id).orElseThrow(() -> CommandRejected.notFound("no webhook " + id));
        PageResult<DeliveryView> deliveries = endpoints.deliveries(id, null,
                new PageParams(Math.max(0, page), pageSize, null, true));
        model.addAttribute("activeNav", "webhooks");
        model.addAttribute("webhook", webhook);
        model.addAttribute("deliveries", deliveries.items());
        model.addAttribute("pager", Pager.of(deliveries));
        model.addAttribute("eventTypes", eventTypes());
        return "webhook";
    }

    /** Every type an endpoint can subscribe to, by the name it is subscribed with. */
    private static List<String> eventTypes() {
        List<String> types = new ArrayList<>();
        Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).forEach(types::add);
        return types;
    }
}
