package io.tokenledger.command.settings;

import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.command.token.TokenProperties;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Current settings in the {@code setting_value} table, inside the command's transaction. */
@Component
class JdbcCurrentSettings implements CurrentSettings {
    private final JdbcTemplate jdbc;
    private final Duration defaultMaxLifetime;
    /** The ladder last read, parsed: every warning's firing reads it, and it seldom changes. */
    private volatile ParsedLadder lastLadder;

    private record ParsedLadder(String text, ExpiryWarningDays days) {
    }

    JdbcCurrentSettings(JdbcTemplate jdbc, TokenProperties properties) {
        this.jdbc = jdbc;
        this.defaultMaxLifetime = properties.maxLifetime();
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
        return read(SettingKey.EXPIRY_NOTIFICATION_DAYS).warnings();
    }

    @Override
    public TokenPolicy tokenPolicy() {
        return read(SettingKey.EXPIRY_NOTIFICATION_DAYS, SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS);
    }

    /** The given keys' values in one statement, under the ladder's shared lock; the rest as if unset. */
    private TokenPolicy read(SettingKey... keys) {
        WarningPolicy warnings = new WarningPolicy(ExpiryWarningDays.NONE, 0);
        Duration maxLifetime = defaultMaxLifetime;
        for (Map<String, Object> row : jdbc.queryForList("""
                        SELECT s.setting_key, s.value, s.version FROM (SELECT pg_advisory_xact_lock_shared(?)) l
                        LEFT JOIN setting_value s ON s.setting_key = ANY (?)""",
                LADDER_LOCK, Arrays.stream(keys).map(SettingKey::name).toArray(String[]::new))) {
            String key = (String) row.get("setting_key");
            String value = (String) row.get("value");
            if (SettingKey.EXPIRY_NOTIFICATION_DAYS.name().equals(key)) {
                warnings = new WarningPolicy(ladder(value), ((Number) row.get("version")).longValue());
            } else if (SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS.name().equals(key)) {
                maxLifetime = Duration.ofDays(Integer.parseInt(value));
            }
        }
        return new TokenPolicy(maxLifetime, warnings);
    }

    private ExpiryWarningDays ladder(String text) {
        ParsedLadder last = lastLadder;
        if (last == null || !last.text().equals(text)) {
            last = new ParsedLadder(text, ExpiryWarningDays.parse(text));
            lastLadder = last;
        }
        return last.days();
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
