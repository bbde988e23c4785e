package io.tokenledger.query.settings;

import io.tokenledger.api.settings.AppConfigChanged;
import io.tokenledger.api.settings.AppConfigCleared;
import io.tokenledger.api.settings.AppConfigEntry;
import io.tokenledger.api.settings.FindAppConfig;
import io.tokenledger.api.settings.SettingKey;
import java.sql.Timestamp;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The Config tab: each App Config key that is set, with who set it and when. */
@Component
@ProcessingGroup("app-config")
class AppConfigProjection {
    private final JdbcTemplate jdbc;

    AppConfigProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(AppConfigChanged event) {
        jdbc.update("""
                INSERT INTO app_config_view (setting_key, label, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (setting_key) DO UPDATE SET label = EXCLUDED.label, value = EXCLUDED.value,
                    updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by""",
                event.key().name(), event.key().label(), event.value(), Timestamp.from(event.changedAt()),
                event.changedBy() == null ? null : event.changedBy().value());
    }

    @EventHandler
    void on(AppConfigCleared event) {
        jdbc.update("DELETE FROM app_config_view WHERE setting_key = ?", event.key().name());
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE app_config_view");
    }

    /** Every key that is set, in the order the portal lists them. */
    @QueryHandler
    public List<AppConfigEntry> handle(FindAppConfig query) {
        List<AppConfigEntry> entries = jdbc.query("""
                SELECT a.setting_key, a.value, a.updated_at, a.updated_by, u.username
                FROM app_config_view a LEFT JOIN user_view u ON u.id = a.updated_by""",
                (rs, row) -> new AppConfigEntry(SettingKey.valueOf(rs.getString(1)).label(), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)));
        return entries.stream()
                .sorted((a, b) -> SettingKey.fromLabel(a.key()).orElseThrow()
                        .compareTo(SettingKey.fromLabel(b.key()).orElseThrow()))
                .toList();
    }
}
