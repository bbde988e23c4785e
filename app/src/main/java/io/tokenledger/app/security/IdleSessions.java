package io.tokenledger.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.query.QueryProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The idle timeout of login sessions ({@code tokenledger.session.idle-timeout}): a session's temporary token that has
 * authenticated no request for that long is refused, as an ended session is. Each instance remembers when it last
 * saw each session in use, so a session in use costs no lookup; a session this instance has not seen within the idle
 * timeout is looked up once: its last use as any instance recorded it (login sessions' uses are written at least ten
 * times per idle timeout, {@code TokenUsageRecorder}), or its creation when it has never been used.
 */
@Component
class IdleSessions {
    private final Duration idleTimeout;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    /** Sessions seen in use here, with when; an entry left alone for the idle timeout is gone. */
    private final Cache<UUID, Instant> seen;

    IdleSessions(QueryProperties properties, JdbcTemplate jdbc, Clock clock) {
        this.idleTimeout = properties.session().idleTimeout();
        this.jdbc = jdbc;
        this.clock = clock;
        this.seen = Caffeine.newBuilder().expireAfterWrite(idleTimeout).maximumSize(200_000).build();
    }

    /** A session just started here. */
    void started(TokenId session) {
        seen.put(session.value(), clock.instant());
    }

    /**
     * Whether the session has been idle for longer than the timeout; if not, this request counts as its latest use.
     */
    boolean idle(TokenId session) {
        Instant now = clock.instant();
        UUID id = session.value();
        if (seen.getIfPresent(id) == null) {
            Optional<Instant> last = jdbc.query("""
                            SELECT greatest(v.created_at, u.last_used_at) FROM token_view v
                            LEFT JOIN token_usage u ON u.token_id = v.id WHERE v.id = ?""",
                    rs -> rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.<Instant>empty(), id);
            // a session the inventory does not know yet has just been created: in use
            if (last.isPresent() && last.get().plus(idleTimeout).isBefore(now)) {
                return true;
            }
        }
        seen.put(id, now);
        return false;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }
}
