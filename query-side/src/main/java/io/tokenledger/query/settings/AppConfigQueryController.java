package io.tokenledger.query.settings;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.settings.AppConfigEntry;
import io.tokenledger.api.settings.FindAppConfig;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.query.QueryRole;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Config tab over REST: the App Config entries that are set. */
@QueryRole
@Tag(name = "Settings")
@RestController
@RequestMapping("/api/settings/app-config")
class AppConfigQueryController {
    private final AppConfigProjection projection;

    AppConfigQueryController(AppConfigProjection projection) {
        this.projection = projection;
    }

    @Operation(operationId = "listAppConfig", summary = "Every setting with its value and default (admins, auditors)")
    @GetMapping
    List<AppConfigEntry> list() {
        return projection.handle(new FindAppConfig());
    }

    @Operation(operationId = "getAppConfig", summary = "One setting (admins, auditors)")
    @GetMapping("/{key}")
    AppConfigEntry one(@Parameter(schema = @Schema(maxLength = 100)) @PathVariable String key) {
        SettingKey settingKey = SettingKey.require(key);
        return list().stream().filter(e -> e.key().equals(settingKey.label())).findFirst()
                .orElseThrow(() -> CommandRejected.notFound("App Config key '" + settingKey.label() + "' is not set"));
    }
}
