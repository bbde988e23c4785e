package io.tokenledger.command.settings;

import io.tokenledger.api.settings.AppConfigPreview;
import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.FindToken;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.expiry.ExpiryWarnings;
import io.tokenledger.command.expiry.WarningLadder;
import io.tokenledger.command.token.InactiveTokens;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Previews of App Config changes (a dry run of {@code PUT /api/settings/app-config/{key}}): the value checked as the
 * change would check it, and what the change would do to existing tokens, computed by the same rules that act on
 * them, changing nothing. Each impact counts the tokens concerned and shows a sample of up to {@link #SAMPLE}.
 */
@CommandRole
@Component
public class AppConfigPreviews {
    /** Most token views an impact shows. */
    public static final int SAMPLE = 50;

    private final JdbcTemplate jdbc;
    private final QueryGateway queries;
    private final InactiveTokens inactive;

    AppConfigPreviews(JdbcTemplate jdbc, QueryGateway queries, InactiveTokens inactive) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.inactive = inactive;
    }

    /** The preview of setting {@code key} to {@code value} at {@code now}; a bad value is rejected as the change is. */
    @Transactional(readOnly = true)
    public AppConfigPreview preview(SettingKey key, String value, Instant now) {
        String canonical = key.normalise(value);
        Map<String, Object> impact = switch (key) {
            case PERMANENT_TOKEN_MAX_LIFETIME_DAYS -> maxLifetime(Integer.parseInt(canonical), now);
            case EXPIRY_NOTIFICATION_DAYS -> ladder(ExpiryWarningDays.parse(canonical), now);
            case INACTIVITY_DAYS -> inactivity(Integer.parseInt(canonical), now);
            default -> Map.of();
        };
        return new AppConfigPreview(key.label(), canonical, impact);
    }

    /** Active permanent tokens expiring later than the new maximum allows: they keep their expiry. */
    private Map<String, Object> maxLifetime(int days, Instant now) {
        Timestamp limit = Timestamp.from(now.plus(Duration.ofDays(days)));
        long count = jdbc.queryForObject("SELECT count(*) FROM expiry_warning WHERE expires_at > ?", Long.class,
                limit);
        List<UUID> sample = jdbc.queryForList("""
                SELECT token_id FROM expiry_warning WHERE expires_at > ? ORDER BY expires_at DESC, token_id LIMIT ?""",
                UUID.class, limit, SAMPLE);
        Map<String, Object> impact = new LinkedHashMap<>();
        impact.put("exceedingMaximum", group(count, sample));
        impact.put("kept", true);
        impact.put("message", "The maximum applies to tokens created from now on; these " + count
                + " active tokens expire later than it allows and keep their expiry.");
        return impact;
    }

    /**
     * Warnings the new ladder would fire at once: each active permanent token's next warning by
     * {@link WarningLadder#next}, as the replanning after the change would plan it, when it is already due.
     */
    private Map<String, Object> ladder(ExpiryWarningDays ladder, Instant now) {
        long[] count = {0};
        List<UUID> sample = new ArrayList<>();
        jdbc.query("SELECT token_id, expires_at, closest_warned_days FROM expiry_warning ORDER BY expires_at, token_id",
                rs -> {
                    Integer closest = (Integer) rs.getObject("closest_warned_days");
                    ExpiryWarnings.Pending next = WarningLadder.next(ladder.days(),
                            rs.getTimestamp("expires_at").toInstant(), closest, now);
                    if (next != null && !next.at().isAfter(now)) {
                        count[0]++;
                        if (sample.size() < SAMPLE) {
                            sample.add(rs.getObject("token_id", UUID.class));
                        }
                    }
                });
        return Map.of("warningsAtOnce", group(count[0], sample));
    }

    /** What the inactivity policy's next daily run would revoke and warn under the new number of days. */
    private Map<String, Object> inactivity(int days, Instant now) {
        Instant nextRun = InactiveTokens.nextRun(now);
        InactiveTokens.Window window = InactiveTokens.Window.of(days, nextRun);
        UUID first = InactiveTokens.FIRST;
        Map<String, Object> impact = new LinkedHashMap<>();
        impact.put("nextRunAt", nextRun);
        impact.put("revoked", group(inactive.countDue(window),
                inactive.due(window, first, SAMPLE).stream().map(InactiveTokens.Unused::tokenId).toList()));
        impact.put("warned", group(inactive.countToWarn(window),
                inactive.toWarn(window, first, SAMPLE).stream().map(InactiveTokens.Unused::tokenId).toList()));
        return impact;
    }

    private Map<String, Object> group(long count, List<UUID> sample) {
        List<TokenView> views = new ArrayList<>();
        for (UUID id : sample) {
            queries.query(new FindToken(new TokenId(id)), ResponseTypes.optionalInstanceOf(TokenView.class)).join()
                    .ifPresent(views::add);
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("count", count);
        group.put("sample", views);
        return group;
    }
}
