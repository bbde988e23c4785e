package io.tokenledger.command.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.settings.AppConfigChanged;
import io.tokenledger.api.settings.AppConfigCleared;
import io.tokenledger.api.settings.ChangeAppConfig;
import io.tokenledger.api.settings.ClearAppConfig;
import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.settings.SystemSettingsId;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.expiry.RecordedExpiryWarnings;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The App Config rules: checked, canonical values; every change an event; a new ladder replans every warning. */
class SystemSettingsTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final String ID = SystemSettingsId.VALUE;

    private final UserId admin = UserId.random();
    private final Map<SettingKey, String> stored = new EnumMap<>(SettingKey.class);
    private final Map<SettingKey, Long> versions = new EnumMap<>(SettingKey.class);
    private final RecordedExpiryWarnings warnings = new RecordedExpiryWarnings();
    private AggregateTestFixture<SystemSettings> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(SystemSettings.class);
        fixture.registerInjectableResource(new CurrentSettings() {
            @Override
            public Optional<String> value(SettingKey key) {
                return Optional.ofNullable(stored.get(key));
            }

            @Override
            public WarningPolicy warningPolicy() {
                String days = stored.get(SettingKey.EXPIRY_NOTIFICATION_DAYS);
                return new WarningPolicy(days == null ? ExpiryWarningDays.NONE : ExpiryWarningDays.parse(days),
                        versions.getOrDefault(SettingKey.EXPIRY_NOTIFICATION_DAYS, 0L));
            }

            @Override
            public TokenPolicy tokenPolicy() {
                return new TokenPolicy(TokenPolicy.DEFAULT_LIFETIME, warningPolicy());
            }

            @Override
            public void put(SettingKey key, String value, long policyVersion) {
                stored.put(key, value);
                versions.put(key, policyVersion);
            }

            @Override
            public void remove(SettingKey key) {
                stored.remove(key);
            }
        });
        fixture.registerInjectableResource(warnings);
        fixture.givenCurrentTime(NOW);
    }

    @Test
    void aLadderIsStoredSortedAndEveryWarningReplanned() {
        fixture.givenNoPriorActivity()
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, " 7; 30;7 ;1;", admin))
                .expectEvents(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30;7;1", admin, NOW));
        assertThat(stored).containsEntry(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30;7;1");
        assertThat(versions).containsEntry(SettingKey.EXPIRY_NOTIFICATION_DAYS, 1L);
        assertThat(warnings.replans()).isOne();
    }

    @Test
    void eachLadderChangeHasTheNextPolicyVersion() {
        fixture.given(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7", admin, NOW))
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30", admin))
                .expectEvents(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30", admin, NOW));
        assertThat(versions).containsEntry(SettingKey.EXPIRY_NOTIFICATION_DAYS, 2L);
        assertThat(warnings.replans()).isOne();
    }

    @Test
    void settingTheSameValueAgainIsNoEvent() {
        fixture.given(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30;7", admin, NOW))
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7;30", admin))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        assertThat(warnings.replans()).isZero();
    }

    @Test
    void badLaddersAreRefusedWithTheReason() {
        for (String bad : new String[] {"0", "366", "abc", "30;;7", "-1", "7.5", "1;2;3;4;5;6;7;8;9;10;11", " "}) {
            fixture.givenNoPriorActivity()
                    .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, bad, admin))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
        fixture.givenNoPriorActivity()
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, "400", admin))
                .expectExceptionMessage("400 days is out of range; each must be 1–365");
        assertThat(stored).isEmpty();
    }

    @Test
    void addressesAreCheckedAndRepeatsDropped() {
        fixture.givenNoPriorActivity()
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_EMAILS,
                        "ops@example.com; Sec@Example.com;ops@EXAMPLE.com ;", admin))
                .expectEvents(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_EMAILS,
                        "ops@example.com;Sec@Example.com", admin, NOW));
        assertThat(warnings.replans()).as("only a ladder change replans").isZero();
    }

    @Test
    void anInvalidAddressIsNamed() {
        fixture.givenNoPriorActivity()
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_EMAILS, "ops@example.com;not-an-address",
                        admin))
                .expectExceptionMessage("not a valid e-mail address: not-an-address")
                .expectNoEvents();
    }

    @Test
    void commasInsteadOfSemicolonsAreSaidToBeTheWrongSeparator() {
        fixture.givenNoPriorActivity()
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_EMAILS, "ops@example.com, sec@example.com",
                        admin))
                .expectExceptionMessage("addresses are separated by semicolons, not commas: "
                        + "a@example.com;b@example.com")
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30,7,1", admin))
                .expectExceptionMessage("the days are separated by semicolons, not commas: a ladder such as 30;7;1")
                .expectNoEvents();
    }

    @Test
    void theMaxLifetimeIsAWholeNumberOfDaysUpToTenYears() {
        fixture.givenNoPriorActivity()
                .when(new ChangeAppConfig(SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS, "90", admin))
                .expectEvents(new AppConfigChanged(SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS, "90", admin, NOW));
        for (String bad : new String[] {"0", "3651", "ninety", "90d"}) {
            fixture.givenNoPriorActivity()
                    .when(new ChangeAppConfig(SettingKey.PERMANENT_TOKEN_MAX_LIFETIME_DAYS, bad, admin))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
    }

    @Test
    void clearingTheLadderTurnsWarningsOffEverywhere() {
        stored.put(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7");
        fixture.given(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7", admin, NOW))
                .when(new ClearAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, admin))
                .expectEvents(new AppConfigCleared(SettingKey.EXPIRY_NOTIFICATION_DAYS, admin, NOW));
        assertThat(stored).doesNotContainKey(SettingKey.EXPIRY_NOTIFICATION_DAYS);
        assertThat(warnings.replans()).isOne();
    }

    @Test
    void clearingAKeyThatIsNotSetIsNoEvent() {
        fixture.given(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7", admin, NOW))
                .when(new ClearAppConfig(SettingKey.EXPIRY_NOTIFICATION_EMAILS, admin))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void theOlderPortalLabelNamesTheSameKey() {
        assertThat(SettingKey.fromLabel("enable user token notification"))
                .contains(SettingKey.EXPIRY_NOTIFICATION_DAYS);
        assertThat(SettingKey.fromLabel("Enable User Token Expiration Notifications"))
                .contains(SettingKey.EXPIRY_NOTIFICATION_DAYS);
        assertThat(SettingKey.fromLabel("Colour Scheme")).isEmpty();
    }
}
