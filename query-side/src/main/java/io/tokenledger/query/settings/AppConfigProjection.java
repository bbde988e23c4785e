package io.tokenledger.query.settings;

import io.tokenledger.api.settings.AppConfigChanged;
import io.tokenledger.api.settings.AppConfigCleared;
import io.tokenledger.api.settings.AppConfigEntry;
import io.tokenledger.api.settings.FindAppConfig;
import io.tokenledger.api.settings.SettingKey;
import java.sql.Timestamp;
import static io.tokenledger.query.replay.ProjectionWrites.key;

import io.tokenledger.query.replay.ProjectionWrites;
import io.tokenledger.query.replay.ReplayableProjection;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The Config tab: each App Config key that is set, with who set it and when. A row changes only for a newer
 * event of the settings (its {@code version}), so an event applied again changes nothing; the one exception is
 * a key cleared and set again shortly before a replay swap, which shows its older value until the live
 * processor has re-applied the events it had not yet seen (docs/decisions.md).
 */
@Component
@ProcessingGroup(AppConfigProjection.GROUP)
class AppConfigProjection implements ReplayableProjection {
    static final String GROUP = "app-config";

    private static final String CHANGE = """
            INSERT INTO {app_config_view} (setting_key, label, value, updated_at, updated_by, version)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (setting_key) DO UPDATE SET label = EXCLUDED.label, value = EXCLUDED.value,
                updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, version = EXCLUDED.version
            WHERE {app_config_view}.version < EXCLUDED.version""";
    private static final String CLEAR = "DELETE FROM {app_config_view} WHERE setting_key = ? AND version < ?";

    private final JdbcTemplate jdbc;

    AppConfigProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String group() {
        return GROUP;
    }

    @Override
    public List<String> tables() {
        return List.of("app_config_view");
    }

    @EventHandler
    void on(AppConfigChanged event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(CHANGE, key(event.key().name()), event.key().label(), event.value(),
                Timestamp.from(event.changedAt()), event.changedBy() == null ? null : event.changedBy().value(),
                version);
    }

    @EventHandler
    void on(AppConfigCleared event, @SequenceNumber long version, ProjectionWrites writes) {
        writes.update(CLEAR, key(event.key().name()), version);
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
