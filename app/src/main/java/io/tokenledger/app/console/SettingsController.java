package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.settings.AppConfigEntry;
import io.tokenledger.api.settings.AppConfigPreview;
import io.tokenledger.api.settings.ChangeAppConfig;
import io.tokenledger.api.settings.ClearAppConfig;
import io.tokenledger.api.settings.FindAppConfig;
import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.MaxLifetimeDays;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.command.settings.AppConfigPreviews;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** Administrator → Systems Settings: the Config tab lists the App Config and lets admins add or delete entries. */
@Controller
class SettingsController {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ObjectProvider<AppConfigPreviews> previews;
    private final Display display;

    SettingsController(CommandGateway commands, QueryGateway queries, ObjectProvider<AppConfigPreviews> previews,
                       Display display) {
        this.commands = commands;
        this.queries = queries;
        this.previews = previews;
        this.display = display;
    }

    /**
     * One part of a preview's impact as the Config tab shows it: what it counts, how many, and up to
     * {@link AppConfigPreviews#SAMPLE} of the tokens by name and owner.
     */
    public record ImpactLine(String label, long count, List<String> sample) {
    }

    /** A preview as the Config tab shows it: the value as it would be stored, the counts, the remarks. */
    public record PreviewView(String key, String value, List<ImpactLine> lines, List<String> notes) {
        private static final Map<String, String> LABELS = Map.of(
                "exceedingMaximum", "Active tokens expiring later than the new maximum",
                "warningsAtOnce", "Expiry warnings that would fire at once",
                "revoked", "Tokens the next daily run would revoke",
                "warned", "Tokens the next daily run would warn");

        static PreviewView of(AppConfigPreview preview, Display display) {
            List<ImpactLine> lines = new java.util.ArrayList<>();
            List<String> notes = new java.util.ArrayList<>();
            preview.impact().forEach((name, part) -> {
                if (part instanceof Map<?, ?> group && group.get("sample") instanceof List<?> sample) {
                    lines.add(new ImpactLine(LABELS.getOrDefault(name, name), ((Number) group.get("count")).longValue(),
                            sample.stream().map(TokenView.class::cast)
                                    .map(t -> t.name() + " (" + t.username() + ")").toList()));
                } else if (part instanceof String text) {
                    notes.add(text);
                } else if (part instanceof java.time.Instant at) {
                    notes.add("Next daily run: " + display.time(at));
                }
            });
            if (lines.isEmpty()) {
                notes.add("This change acts on no existing token.");
            }
            return new PreviewView(preview.key(), preview.value(), lines, notes);
        }
    }

    /**
     * Previews the Add form's change without making it: the value checked as Submit checks it, and its impact. An
     * htmx request gets the preview alone; without JavaScript the page comes back with the form as entered and the
     * preview under it.
     */
    @PostMapping("/admin/settings/config/preview")
    String preview(@RequestParam(defaultValue = "") String key, @RequestParam(defaultValue = "") String value,
                   @RequestHeader(name = "HX-Request", required = false) String htmx, Model model,
                   HttpServletResponse response) {
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            model.addAttribute("preview", PreviewView.of(previews.getObject()
                    .preview(SettingKey.require(key), value, Instant.now()), display));
        } catch (CommandRejected e) {
            errors.put("key".equals(e.field()) ? "key" : "value", e.getMessage());
            model.addAttribute("previewError", e.getMessage());
            if (htmx == null) {
                // htmx swaps only a success: it gets the refusal with 200
                response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            }
        }
        if (htmx != null) {
            return "settings :: preview";
        }
        return page(model, new ConfigForm(key, value, errors));
    }

    /** What each key's value looks like, said under the Value field (and as its placeholder, the example). */
    public record Format(String text, String example) {
    }

    static final Map<String, Format> FORMATS = java.util.Arrays.stream(SettingKey.values())
            .collect(java.util.stream.Collectors.toMap(SettingKey::label, SettingsController::format, (a, b) -> a,
                    LinkedHashMap::new));

    /** The format of each key (a switch over every key: a new key does not compile without its own). */
    private static Format format(SettingKey key) {
        return switch (key) {
            case EXPIRY_NOTIFICATION_DAYS -> new Format("Days before expiry: one number "
                    + ExpiryWarningDays.MIN_DAYS + "–" + ExpiryWarningDays.MAX_DAYS
                    + ", or a ladder separated by semicolons such as 30;7;1.", "30;7;1");
            case EXPIRY_NOTIFICATION_EMAILS -> new Format("E-mail addresses separated by semicolons "
                    + "(not commas), such as ops@example.com;security@example.com.",
                    "ops@example.com;security@example.com");
            case PERMANENT_TOKEN_MAX_LIFETIME_DAYS -> new Format("A whole number of days 1–"
                    + MaxLifetimeDays.MAX + ", such as 365.", "365");
            case ALERT_ON_NEW_ADDRESS -> new Format("true or false: a fault when an active permanent token is used "
                    + "from an address it has never used, after its first 24 hours.", "true");
            case INACTIVITY_DAYS -> new Format("A whole number of days 1–" + MaxLifetimeDays.MAX
                    + ": permanent tokens unused that long are revoked by the daily run, such as 90.", "90");
        };
    }

    /** The Add form as entered, with its refusals by field. */
    public record ConfigForm(String key, String value, Map<String, String> errors) {
        static ConfigForm empty() {
            return new ConfigForm(SettingKey.values()[0].label(), "", Map.of());
        }
    }

    @GetMapping("/admin/settings")
    String config(Model model) {
        return page(model, ConfigForm.empty());
    }

    @PostMapping("/admin/settings/config")
    String add(@RequestParam(defaultValue = "") String key, @RequestParam(defaultValue = "") String value,
               @AuthenticationPrincipal Actor actor, Model model, HttpServletResponse response) {
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            // The same command the REST API sends: the key and its value are checked where the rules live.
            commands.sendAndWait(new ChangeAppConfig(SettingKey.require(key), value, actor.userId()));
            return "redirect:/admin/settings?saved";
        } catch (CommandRejected e) {
            errors.put("key".equals(e.field()) ? "key" : "value", e.getMessage());
        }
        response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
        return page(model, new ConfigForm(key, value, errors));
    }

    @PostMapping("/admin/settings/config/delete")
    String delete(@RequestParam String key, @AuthenticationPrincipal Actor actor) {
        try {
            commands.sendAndWait(new ClearAppConfig(SettingKey.require(key), actor.userId()));
        } catch (AggregateNotFoundException e) {
            // Nothing was ever set: the key is already at its default.
        }
        return "redirect:/admin/settings?deleted";
    }

    private String page(Model model, ConfigForm form) {
        model.addAttribute("activeNav", "settings");
        model.addAttribute("entries", entries());
        model.addAttribute("keys", SettingKey.values());
        model.addAttribute("form", form);
        model.addAttribute("formats", FORMATS);
        Format format = FORMATS.get(form.key());
        model.addAttribute("format", format != null ? format : FORMATS.get(SettingKey.values()[0].label()));
        return "settings";
    }

    private List<AppConfigEntry> entries() {
        return queries.query(new FindAppConfig(), ResponseTypes.multipleInstancesOf(AppConfigEntry.class)).join();
    }
}
