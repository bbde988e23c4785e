package io.tokenledger.command.settings;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tokenledger.api.settings.AppConfigChanged;
import io.tokenledger.api.settings.AppConfigCleared;
import io.tokenledger.api.settings.ChangeAppConfig;
import io.tokenledger.api.settings.ClearAppConfig;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.settings.SystemSettingsId;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.expiry.ExpiryWarnings;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The system's App Config: one aggregate, created by its first change. Values are checked and stored in
 * canonical form; a change that changes nothing is no event. A new warning ladder asks, in the same transaction,
 * for every token's pending warning to be replanned.
 */
@CommandRole
@Aggregate
public class SystemSettings {
    @AggregateIdentifier
    private String settingsId;
    private final Map<SettingKey, String> values = new EnumMap<>(SettingKey.class);
    private long policyVersion;

    protected SystemSettings() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(ChangeAppConfig command, CurrentSettings current, ExpiryWarnings warnings) {
        String value = command.key().normalise(command.value());
        if (value.equals(values.get(command.key()))) {
            return;
        }
        apply(new AppConfigChanged(command.key(), value, command.changedBy(), now()));
        current.put(command.key(), value, policyVersion);
        if (command.key() == SettingKey.EXPIRY_NOTIFICATION_DAYS) {
            warnings.replanAll();
        }
    }

    @CommandHandler
    public void handle(ClearAppConfig command, CurrentSettings current, ExpiryWarnings warnings) {
        if (!values.containsKey(command.key())) {
            return;
        }
        apply(new AppConfigCleared(command.key(), command.clearedBy(), now()));
        current.remove(command.key());
        if (command.key() == SettingKey.EXPIRY_NOTIFICATION_DAYS) {
            warnings.replanAll();
        }
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    @EventSourcingHandler
    void on(AppConfigChanged event) {
        settingsId = SystemSettingsId.VALUE;
        values.put(event.key(), event.value());
        if (event.key() == SettingKey.EXPIRY_NOTIFICATION_DAYS) {
            policyVersion++;
        }
    }

    @EventSourcingHandler
    void on(AppConfigCleared event) {
        values.remove(event.key());
        if (event.key() == SettingKey.EXPIRY_NOTIFICATION_DAYS) {
            policyVersion++;
        }
    }
}
