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

    /**
     * Readers of the ladder hold this lock shared until they commit, and a change of the ladder takes it exclusively:
     * whoever plans a warning from the ladder before a change has committed that plan before the change commits,
     * so the replan job that follows the change sees every plan made from the old ladder.
     */
    static final long LADDER_LOCK = 0x6c61646465724cL;

    @Override
    public WarningPolicy warningPolicy() {
        return jdbc.query("""
                        SELECT s.value, s.version FROM (SELECT pg_advisory_xact_lock_shared(?)) l
                        LEFT JOIN setting_value s ON s.setting_key = ?""",
                        (rs, row) -> rs.getString(1) == null ? new WarningPolicy(ExpiryWarningDays.NONE, 0)
                                : new WarningPolicy(ExpiryWarningDays.parse(rs.getString(1)), rs.getLong(2)),
                        LADDER_LOCK, SettingKey.EXPIRY_NOTIFICATION_DAYS.name())
                .get(0);
    }

    @Override
    public void put(SettingKey key, String value, long policyVersion) {
        lockIfLadder(key);
        jdbc.update("""
                INSERT INTO setting_value (setting_key, value, version) VALUES (?, ?, ?)
                ON CONFLICT (setting_key) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version""",
                key.name(), value, policyVersion);
    }

    @Override
    public void remove(SettingKey key) {
        lockIfLadder(key);
        jdbc.update("DELETE FROM setting_value WHERE setting_key = ?", key.name());
    }

    private void lockIfLadder(SettingKey key) {
        if (key == SettingKey.EXPIRY_NOTIFICATION_DAYS) {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", LADDER_LOCK);
        }
    }
}
