package io.tokenledger.query;

import static io.tokenledger.api.SettingCheck.atLeast;
import static io.tokenledger.api.SettingCheck.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tokenledger.*} settings the query side reads (the application reads the sessions' too); the README
 * lists each with its default. Bad values stop the start, naming the property.
 *
 * @param session   login sessions and their temporary tokens
 * @param usage     how often a token's last use is noted and written
 * @param authCache the credential cache in front of the {@code credentials} read model
 * @param stream    live event streams: how many a user may hold, how often they beat
 */
@ConfigurationProperties("tokenledger")
public record QueryProperties(@DefaultValue Session session, @DefaultValue Usage usage,
                              @DefaultValue AuthCache authCache, @DefaultValue Stream stream) {

    /**
     * A login session.
     *
     * @param lifetime     absolute lifetime of a login session and its temporary token
     * @param idleTimeout  a session that authenticated no request for this long is refused
     * @param secureCookie mark the session and CSRF cookies Secure and send Strict-Transport-Security
     */
    public record Session(@DefaultValue("12h") Duration lifetime, @DefaultValue("30m") Duration idleTimeout,
                          @DefaultValue("true") boolean secureCookie) {
        public Session {
            positive("tokenledger.session.lifetime", lifetime);
            positive("tokenledger.session.idle-timeout", idleTimeout);
        }
    }

    /**
     * A token's last use: noted at most once per token per {@code recordInterval} on each instance, and written to
     * the database every {@code flushInterval}, off the request path.
     *
     * @param recordInterval how precise a token's last use is
     * @param flushInterval  how often an instance writes the uses it noted
     */
    public record Usage(@DefaultValue("5m") Duration recordInterval, @DefaultValue("1s") Duration flushInterval) {
        public Usage {
            positive("tokenledger.usage.record-interval", recordInterval);
            positive("tokenledger.usage.flush-interval", flushInterval);
        }
    }

    /**
     * The credential cache (evicted on revoke, role change, disable).
     *
     * @param size most credentials cached
     * @param ttl  how long a credential stays cached
     */
    public record AuthCache(@DefaultValue("100000") long size, @DefaultValue("10m") Duration ttl) {
        public AuthCache {
            atLeast("tokenledger.auth-cache.size", size, 0);
            positive("tokenledger.auth-cache.ttl", ttl);
        }
    }

    /**
     * Live event streams ({@code /api/stream/tokens}).
     *
     * @param maxPerUser the most streams one user may hold open on an instance; one more is answered 429
     * @param heartbeat  how often each open stream gets a comment line, and its listener's authority is checked
     */
    public record Stream(@DefaultValue("5") int maxPerUser, @DefaultValue("15s") Duration heartbeat) {
        public Stream {
            atLeast("tokenledger.stream.max-per-user", maxPerUser, 1);
            positive("tokenledger.stream.heartbeat", heartbeat);
        }
    }
}
