package io.tokenledger.command.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.settings.AppConfigChanged;
import io.tokenledger.api.settings.AppConfigCleared;
import io.tokenledger.api.settings.ChangeAppConfig;
import io.tokenledger.api.settings.ClearAppConfig;
import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.ExpiryWarningsRescheduled;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.settings.SystemSettingsId;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.expiry.ExpiryBuckets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The App Config rules: checked, canonical values; every change an event; a new ladder announced to every bucket. */
class SystemSettingsTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
    private static final String ID = SystemSettingsId.VALUE;

    private final UserId admin = UserId.random();
    private final Map<SettingKey, String> stored = new EnumMap<>(SettingKey.class);
    private final Map<SettingKey, Long> versions = new EnumMap<>(SettingKey.class);
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
            public void put(SettingKey key, String value, long policyVersion) {
                stored.put(key, value);
                versions.put(key, policyVersion);
            }

            @Override
            public void remove(SettingKey key) {
                stored.remove(key);
            }
        });
        fixture.registerInjectableResource(DefaultEventGateway.builder().eventBus(fixture.getEventBus()).build());
        fixture.givenCurrentTime(NOW);
    }

    private static List<ExpiryWarningsRescheduled> announcements(long version, Integer... days) {
        return ExpiryBuckets.announce(new ExpiryWarningDays(List.of(days)), version);
    }

    private static Object[] changedThenAnnounced(AppConfigChanged changed, List<ExpiryWarningsRescheduled> announced) {
        List<Object> events = new java.util.ArrayList<>();
        events.add(changed);
        events.addAll(announced);
        return events.toArray();
    }

    @Test
    void aLadderIsStoredSortedAndAnnouncedToEveryBucket() {
        fixture.givenNoPriorActivity()
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, " 7; 30;7 ;1;", admin))
                .expectEvents(changedThenAnnounced(
                        new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30;7;1", admin, NOW),
                        announcements(1, 30, 7, 1)));
        assertThat(stored).containsEntry(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30;7;1");
        assertThat(versions).containsEntry(SettingKey.EXPIRY_NOTIFICATION_DAYS, 1L);
        assertThat(announcements(1, 30, 7, 1)).hasSize(ExpiryBuckets.COUNT);
    }

    @Test
    void eachLadderChangeHasTheNextPolicyVersion() {
        fixture.given(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7", admin, NOW))
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30", admin))
                .expectEvents(changedThenAnnounced(
                        new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30", admin, NOW),
                        announcements(2, 30)));
    }

    @Test
    void settingTheSameValueAgainIsNoEvent() {
        fixture.given(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "30;7", admin, NOW))
                .when(new ChangeAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7;30", admin))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
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
        List<Object> events = new java.util.ArrayList<>();
        events.add(new AppConfigCleared(SettingKey.EXPIRY_NOTIFICATION_DAYS, admin, NOW));
        events.addAll(announcements(2));
        fixture.given(new AppConfigChanged(SettingKey.EXPIRY_NOTIFICATION_DAYS, "7", admin, NOW))
                .when(new ClearAppConfig(SettingKey.EXPIRY_NOTIFICATION_DAYS, admin))
                .expectEvents(events.toArray());
        assertThat(stored).doesNotContainKey(SettingKey.EXPIRY_NOTIFICATION_DAYS);
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
