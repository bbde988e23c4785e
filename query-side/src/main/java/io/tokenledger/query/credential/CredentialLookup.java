package io.tokenledger.query.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.query.QueryProperties;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Finds the credential of a token hash, through a Caffeine cache. Only hits are cached, so a token is found as
 * soon as it is projected. The credentials are written in the transaction of the command that changed them; the
 * instance that ran it evicts what it cached at commit, and every other instance's live processor as soon as it
 * sees the event.
 */
@Component
public class CredentialLookup {
    /** The processing group of the projection behind this lookup. */
    public static final String PROJECTION = "credentials";

    private final JdbcTemplate jdbc;
    private final Cache<TokenHash, Credential> cache;
    /**
     * Counts evictions. A lookup caches what it read only if no eviction happened meanwhile: a row read just before
     * a revocation committed, and cached just after the revocation was evicted, would otherwise let the token in
     * until the entry expires.
     */
    private final AtomicLong evictions = new AtomicLong();

    CredentialLookup(JdbcTemplate jdbc, QueryProperties properties) {
        this.jdbc = jdbc;
        this.cache = Caffeine.newBuilder().maximumSize(properties.authCache().size())
                .expireAfterWrite(properties.authCache().ttl()).recordStats().build();
    }

    /**
     * The credential of this token hash, empty when no token has it.
     *
     * @throws org.springframework.dao.DataAccessException when it is not cached and the credentials cannot be read
     *                                                     (the database is out of reach): never an empty answer,
     *                                                     which would refuse a token that may well be valid
     */
    public Optional<Credential> find(TokenHash hash) {
        return find(hash, true);
    }

    /**
     * The credential of this token hash now, as {@link #find} answers it, for checking again the listener of an
     * open stream. Not counted in the cache's statistics, which describe the lookups of authentication: every open
     * stream checks at every heartbeat and delivery.
     */
    public Optional<Credential> recheck(TokenHash hash) {
        return find(hash, false);
    }

    private Optional<Credential> find(TokenHash hash, boolean counted) {
        Credential cached = counted ? cache.getIfPresent(hash) : cache.asMap().get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        long seen = evictions.get();
        Optional<Credential> loaded = jdbc.query("""
                SELECT c.token_id, c.kind, c.user_id, u.username, u.role, u.enabled, c.status, c.expires_at, c.scopes,
                       c.created_at, c.grace_ends_at
                FROM credential c JOIN credential_user u ON u.user_id = c.user_id
                WHERE c.token_hash = ?""",
                (rs, i) -> new Credential(new TokenId(rs.getObject(1, UUID.class)), TokenKind.valueOf(rs.getString(2)),
                        new UserId(rs.getObject(3, UUID.class)), rs.getString(4), Role.valueOf(rs.getString(5)),
                        rs.getBoolean(6), TokenStatus.valueOf(rs.getString(7)),
                        rs.getTimestamp(8).toInstant(), List.of((String[]) rs.getArray(9).getArray()),
                        rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant(),
                        rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant()),
                hash.hex()).stream().findFirst();
        loaded.ifPresent(c -> {
            if (evictions.get() == seen) {
                cache.put(hash, c);
            }
        });
        return loaded;
    }

    /**
     * A token was revoked, expired or rotated with a grace period (on any instance): this instance stops using what
     * it cached of it.
     */
    public void tokenEnded(TokenHash hash) {
        evictions.incrementAndGet();
        cache.invalidate(hash);
    }

    /**
     * A token was rotated with a grace period (on any instance): forget what was cached of it, found by its id (the
     * rotation does not carry the hash; it is rare enough for a pass over the cache).
     */
    public void tokenRotated(TokenId tokenId) {
        evictions.incrementAndGet();
        cache.asMap().values().removeIf(c -> c.tokenId().equals(tokenId));
    }

    /** A user was disabled, enabled or given a role (on any instance): forget the user's cached tokens. */
    public void userChanged(UserId userId) {
        forgetUser(userId);
    }

    private void forgetUser(UserId userId) {
        evictions.incrementAndGet();
        cache.asMap().values().removeIf(c -> c.userId().equals(userId));
    }

    /** The cache, for its statistics. */
    public Cache<TokenHash, Credential> cache() {
        return cache;
    }

    /** Forgets a token now and again once the surrounding transaction commits, so no stale entry survives. */
    void evict(TokenHash hash) {
        tokenEnded(hash);
        afterCommit(() -> tokenEnded(hash));
    }

    /** Forgets a rotated token now and again once the surrounding transaction commits. */
    void evict(TokenId tokenId) {
        tokenRotated(tokenId);
        afterCommit(() -> tokenRotated(tokenId));
    }

    /** Forgets every token of the user, now and after commit. */
    void evictUser(UserId userId) {
        Runnable evict = () -> forgetUser(userId);
        evict.run();
        afterCommit(evict);
    }

    /** Forgets every cached credential, e.g. after its tables were replaced by a rebuild. */
    void evictAll() {
        evictions.incrementAndGet();
        cache.invalidateAll();
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        }
    }
}
