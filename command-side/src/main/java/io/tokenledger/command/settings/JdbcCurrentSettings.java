package io.tokenledger.command.settings;

import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.SettingKey;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Current settings in the {@code setting_value} table, inside the command's transaction. */
@Component
class JdbcCurrentSettings implements CurrentSettings {
    private final JdbcTemplate jdbc;

    JdbcCurrentSettings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<String> value(SettingKey key) {
        return jdbc.queryForList("SELECT value FROM setting_value WHERE setting_key = ?", String.class, key.name())
                .stream().findFirst();
    }

    @Override
    public WarningPolicy warningPolicy() {
        return jdbc.query("SELECT value, version FROM setting_value WHERE setting_key = ?",
                        (rs, row) -> new WarningPolicy(ExpiryWarningDays.parse(rs.getString(1)), rs.getLong(2)),
                        SettingKey.EXPIRY_NOTIFICATION_DAYS.name())
                .stream().findFirst().orElse(new WarningPolicy(ExpiryWarningDays.NONE, 0));
    }

    @Override
    public void put(SettingKey key, String value, long policyVersion) {
        jdbc.update("""
                INSERT INTO setting_value (setting_key, value, version) VALUES (?, ?, ?)
                ON CONFLICT (setting_key) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version""",
                key.name(), value, policyVersion);
    }

    @Override
    public void remove(SettingKey key) {
        jdbc.update("DELETE FROM setting_value WHERE setting_key = ?", key.name());
    }
}
