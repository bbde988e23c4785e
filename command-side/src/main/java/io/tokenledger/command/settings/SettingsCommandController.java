package io.tokenledger.command.settings;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.settings.AppConfigEntry;
import io.tokenledger.api.settings.AppConfigPreview;
import io.tokenledger.api.settings.ChangeAppConfig;
import io.tokenledger.api.settings.ClearAppConfig;
import io.tokenledger.api.settings.FindAppConfig;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.command.CommandRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin changes to the App Config, addressed by the portal's key labels (URL-encoded). */
@CommandRole
@Tag(name = "Settings")
@RestController
@RequestMapping("/api/settings/app-config")
class SettingsCommandController {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final AppConfigPreviews previews;

    SettingsCommandController(CommandGateway commands, QueryGateway queries, AppConfigPreviews previews) {
        this.commands = commands;
        this.queries = queries;
        this.previews = previews;
    }

    /** Body of {@code PUT /api/settings/app-config/{key}}. */
    record ChangeAppConfigRequest(@NotNull @Size(max = 4000) String value) {
    }

    @Operation(operationId = "changeAppConfig", summary = "Change a setting (admins); with dryRun=true, preview the "
            + "change instead: the value checked alike, and its impact on existing tokens, nothing changed")
    @ApiResponse(responseCode = "200", description = "The entry as changed; with dryRun=true the preview "
            + "{key, value, impact}", content = @Content(mediaType = "application/json", schema = @Schema(
                    oneOf = {AppConfigEntry.class, AppConfigPreview.class})))
    @PutMapping("/{key}")
    Object change(@Parameter(schema = @Schema(maxLength = 100)) @PathVariable String key, @Valid @RequestBody ChangeAppConfigRequest body,
                  @Parameter(description = "true: preview the change, changing nothing")
                  @RequestParam(defaultValue = "false") boolean dryRun,
                  @AuthenticationPrincipal Actor actor) {
        SettingKey settingKey = SettingKey.require(key);
        if (dryRun) {
            return previews.preview(settingKey, body.value(), Instant.now());
        }
        commands.sendAndWait(new ChangeAppConfig(settingKey, body.value(), actor.userId()));
        return queries.query(new FindAppConfig(), ResponseTypes.multipleInstancesOf(AppConfigEntry.class)).join()
                .stream().filter(e -> e.key().equals(settingKey.label())).findFirst()
                .orElseThrow(() -> CommandRejected.notFound("App Config key '" + settingKey.label() + "' is not set"));
    }

    @Operation(operationId = "clearAppConfig", summary = "Clear a setting back to its default (admins)")
    @ApiResponse(responseCode = "204", description = "The setting is back to its default")
    @DeleteMapping("/{key}")
    ResponseEntity<Void> clear(@Parameter(schema = @Schema(maxLength = 100)) @PathVariable String key, @AuthenticationPrincipal Actor actor) {
        SettingKey settingKey = SettingKey.require(key);
        try {
            commands.sendAndWait(new ClearAppConfig(settingKey, actor.userId()));
        } catch (AggregateNotFoundException e) {
            // Nothing was ever set: the key is already at its default.
        }
        return ResponseEntity.noContent().build();
    }
}
