package io.tokenledger.query.credential;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Finds the credential of a token hash, through a Caffeine cache. Only hits are cached, so a token is found as
 * soon as it is projected. Every instance's live processor reports revocations, expiries and user changes the
 * moment they are stored: they apply at once, over whatever the cache or a not-yet-updated credentials table
 * says, until the credentials projection (on whichever instance runs it) has written them too.
 */
@Component
public class CredentialLookup {
    /** The processing group of the projection behind this lookup. */
    public static final String PROJECTION = "credentials";

    private final JdbcTemplate jdbc;
    private final Cache<TokenHash, Credential> cache;
    /** Tokens revoked or expired: final, so remembered for longer than any projection can lag. */
    private final Cache<TokenHash, TokenStatus> ended;
    /** User changes stored but maybe not projected yet, with the global index of the latest one. */
    private final Map<UserId, UserChange> userChanges = new ConcurrentHashMap<>();

    private record UserChange(long globalIndex, Boolean enabled, Role role) {
        UserChange then(UserChange later) {
            return new UserChange(later.globalIndex, later.enabled != null ? later.enabled : enabled,
                    later.role != null ? later.role : role);
        }
    }

    CredentialLookup(JdbcTemplate jdbc,
                     @Value("${tokenledger.auth-cache.size:100000}") long size,
                     @Value("${tokenledger.auth-cache.ttl:10m}") Duration ttl) {
        this.jdbc = jdbc;
        this.cache = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).recordStats().build();
        this.ended = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(Duration.ofHours(1)).build();
    }

    /**
     * The credential of this token hash, empty when no token has it.
     *
     * @throws org.springframework.dao.DataAccessException when it is not cached and the credentials cannot be read
     *                                                     (the database is out of reach): never an empty answer,
     *                                                     which would refuse a token that may well be valid
     */
    public Optional<Credential> find(TokenHash hash) {
        Credential cached = cache.getIfPresent(hash);
        if (cached != null) {
            return Optional.of(withLiveChanges(hash, cached));
        }
        Optional<Credential> loaded = jdbc.query("""
                SELECT c.token_id, c.kind, c.user_id, u.username, u.role, u.enabled, c.status, c.expires_at
                FROM credential c JOIN credential_user u ON u.user_id = c.user_id
                WHERE c.token_hash = ?""",
                (rs, i) -> new Credential(new TokenId(rs.getObject(1, UUID.class)), TokenKind.valueOf(rs.getString(2)),
                        new UserId(rs.getObject(3, UUID.class)), rs.getString(4), Role.valueOf(rs.getString(5)),
                        rs.getBoolean(6), TokenStatus.valueOf(rs.getString(7)),
                        rs.getTimestamp(8).toInstant()),
                hash.hex()).stream().findFirst();
        loaded.ifPresent(c -> cache.put(hash, c));
        return loaded.map(c -> withLiveChanges(hash, c));
    }

    /** A token was revoked or expired: it stops authenticating on this instance now. */
    public void tokenEnded(TokenHash hash, TokenStatus status) {
        ended.put(hash, status);
        cache.invalidate(hash);
    }

    /** A user was disabled, enabled or given a role (null: unchanged) by the event at this global index. */
    public void userChanged(UserId userId, long globalIndex, Boolean enabled, Role role) {
        userChanges.merge(userId, new UserChange(globalIndex, enabled, role), UserChange::then);
        forgetUser(userId);
    }

    /** The credentials projection has written the user's changes up to this global index. */
    public void userSettled(UserId userId, long globalIndex) {
        userChanges.computeIfPresent(userId, (id, change) -> change.globalIndex() <= globalIndex ? null : change);
        forgetUser(userId);
    }

    private Credential withLiveChanges(TokenHash hash, Credential credential) {
        TokenStatus endedAs = ended.getIfPresent(hash);
        UserChange change = userChanges.get(credential.userId());
        if (endedAs == null && change == null) {
            return credential;
        }
        return new Credential(credential.tokenId(), credential.kind(), credential.userId(), credential.username(),
                change != null && change.role() != null ? change.role() : credential.role(),
                change != null && change.enabled() != null ? change.enabled() : credential.userEnabled(),
                endedAs != null ? endedAs : credential.status(), credential.expiresAt());
    }

    private void forgetUser(UserId userId) {
        cache.asMap().values().removeIf(c -> c.userId().equals(userId));
    }

    /** The cache, for its statistics. */
    public Cache<TokenHash, Credential> cache() {
        return cache;
    }

    /** Forgets a token now and again once the surrounding transaction commits, so no stale entry survives. */
    void evict(TokenHash hash) {
        cache.invalidate(hash);
        afterCommit(() -> cache.invalidate(hash));
    }

    /** Forgets every token of the user, now and after commit. */
    void evictUser(UserId userId) {
        Runnable evict = () -> forgetUser(userId);
        evict.run();
        afterCommit(evict);
    }

    /** Forgets every cached credential, e.g. after its tables were replaced by a rebuild. */
    void evictAll() {
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
