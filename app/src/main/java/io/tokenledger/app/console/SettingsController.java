package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.settings.AppConfigEntry;
import io.tokenledger.api.settings.ChangeAppConfig;
import io.tokenledger.api.settings.ClearAppConfig;
import io.tokenledger.api.settings.FindAppConfig;
import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.MaxLifetimeDays;
import io.tokenledger.api.settings.SettingKey;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Administrator → Systems Settings: the Config tab lists the App Config and lets admins add or delete entries. */
@Controller
class SettingsController {
    private final CommandGateway commands;
    private final QueryGateway queries;

    SettingsController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /** What each key's value looks like, said under the Value field (and as its placeholder, the example). */
    public record Format(String text, String example) {
    }

    static final Map<String, Format> FORMATS = Map.of(
            SettingKey.EXPIRY_NOTIFICATION_DAYS.label(), new Format("Days before expiry: one number "
                    + ExpiryWarningDays.MIN_DAYS + "–" + ExpiryWarningDays.MAX_DAYS
                    + ", or a ladder separated by semicolons such as 30;7;1.", "30;7;1"),
            SettingKey.EXPIRY_NOTIFICATION_EMAILS.label(), new Format("E-mail addresses separated by semicolons "
                    + "(not commas), such as ops@example.com;security@example.com.",
                    "ops@example.com;security@example.com"),
            SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS.label(), new Format("A whole number of days 1–"
                    + MaxLifetimeDays.MAX + ", such as 365.", "365"));

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
