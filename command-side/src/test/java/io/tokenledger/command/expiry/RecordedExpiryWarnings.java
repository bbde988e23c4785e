package io.tokenledger.command.expiry;

import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.command.settings.CurrentSettings;
import java.time.Instant;
import java.util.HashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Expiry-warning plans kept in memory for fixture tests, beside a ladder the test sets. */
public class RecordedExpiryWarnings implements ExpiryWarnings {
    private final java.util.Map<SettingKey, String> values = new java.util.EnumMap<>(SettingKey.class);
    /** A token's plan as the aggregate last recorded it. */
    public record Plan(Instant expiresAt, Integer closestWarnedDays, Pending next, long policyVersion) {
    }

    private final Map<TokenId, Plan> plans = new HashMap<>();
    private final Map<TokenId, Instant> expiries = new HashMap<>();
    private int replans;
    private CurrentSettings.WarningPolicy policy = new CurrentSettings.WarningPolicy(ExpiryWarningDays.NONE, 0);
    private Duration maxLifetime = CurrentSettings.TokenPolicy.DEFAULT_LIFETIME;

    @Override
    public void plan(TokenId tokenId, Instant expiresAt, Integer closestWarnedDays, Pending next, long policyVersion) {
        plans.put(tokenId, new Plan(expiresAt, closestWarnedDays, next, policyVersion));
    }

    @Override
    public void expireAt(TokenId tokenId, Instant expiresAt) {
        expiries.put(tokenId, expiresAt);
    }

    @Override
    public void cancel(TokenId tokenId) {
        plans.remove(tokenId);
        expiries.remove(tokenId);
    }

    /** When the token's task fires: its pending warning, or else its expiry; empty when it has none. */
    public Optional<Instant> due(TokenId tokenId) {
        Plan plan = plans.get(tokenId);
        if (plan != null) {
            return Optional.of(plan.next() == null ? plan.expiresAt() : plan.next().at());
        }
        return Optional.ofNullable(expiries.get(tokenId));
    }

    @Override
    public void replanAll() {
        replans++;
    }

    /** The token's plan, if it has one. */
    public Optional<Plan> of(TokenId tokenId) {
        return Optional.ofNullable(plans.get(tokenId));
    }

    /** The pending warning of a token: its threshold and time, or null. */
    public Pending pending(TokenId tokenId) {
        return of(tokenId).map(Plan::next).orElse(null);
    }

    /** How many times a replan of every token was asked for. */
    public int replans() {
        return replans;
    }

    /** Puts a ladder in force. */
    public void ladder(long version, Integer... days) {
        policy = new CurrentSettings.WarningPolicy(new ExpiryWarningDays(List.of(days)), version);
    }

    /** Puts an App Config value in force, as {@link CurrentSettings#value} reads it. */
    public void set(SettingKey key, String value) {
        values.put(key, value);
    }

    /** Puts a {@code Permanent Token Max Lifetime Days} in force. */
    public void maxLifetime(Duration lifetime) {
        maxLifetime = lifetime;
    }

    /** The ladder and max lifetime in force, as the aggregate reads them. */
    public CurrentSettings settings() {
        return new CurrentSettings() {
            @Override
            public Optional<String> value(SettingKey key) {
                return Optional.ofNullable(values.get(key));
            }

            @Override
            public WarningPolicy warningPolicy() {
                return policy;
            }

            @Override
            public TokenPolicy tokenPolicy() {
                return new TokenPolicy(maxLifetime, policy);
            }

            @Override
            public void put(SettingKey key, String value, long policyVersion) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void remove(SettingKey key) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
