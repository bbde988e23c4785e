package io.tokenledger.app.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenledger.api.Actor;
import io.tokenledger.api.audit.AuditMetadata;
import io.tokenledger.api.security.AccessDenied;
import io.tokenledger.api.security.LoginFailed;
import io.tokenledger.api.security.LoginLockedOut;
import io.tokenledger.api.security.TokenRefused;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.Usernames;
import io.tokenledger.app.audit.AuditMetadataConfig;
import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.query.PeriodicFlush;
import io.tokenledger.query.credential.Credential;
import io.tokenledger.query.user.UserView;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Failed logins, lock-outs, refused tokens and denied requests: each is a WARN line (with the request's id and the
 * client's address) and a count of {@code tokenledger.security.events{type, reason}} at once, and, for a known user
 * or token, an audit event. Those events are counted in memory and stored every
 * {@code tokenledger.security-events.interval}, off the request path, one per type, reason, user or token, client
 * address (and, for a 403, method and path) with how many attempts it stands for, so a flood of attempts stores a
 * handful of events rather than one write per request. An unknown username or token stores nothing. Nothing here
 * holds a secret: a password is never seen, a token is named by its hint or a prefix of its hash, and an unknown
 * username, which may be a password typed in the wrong field, only by its length and a keyed hash.
 */
@Component
public class SecurityEvents extends PeriodicFlush {
    private static final Logger log = LoggerFactory.getLogger(SecurityEvents.class);
    /** Every type and its reasons: the counters' labels, all registered from the start. */
    private static final Map<String, List<String>> REASONS = new LinkedHashMap<>();

    static {
        REASONS.put(LoginFailed.class.getSimpleName(), List.of("wrong_password", "disabled_user", "unknown_user"));
        REASONS.put(LoginLockedOut.class.getSimpleName(), List.of(LoginThrottle.TooManyAttempts.USER_AND_CLIENT,
                LoginThrottle.TooManyAttempts.USER, LoginThrottle.TooManyAttempts.CLIENT));
        REASONS.put(TokenRefused.class.getSimpleName(),
                List.of("revoked", "expired", "idle", "user_disabled", "unknown", "malformed"));
        REASONS.put(AccessDenied.class.getSimpleName(), List.of("role", "csrf", "scope"));
    }

    /** What a token looks like inside a path: masked before a path is logged or stored. */
    private static final Pattern TOKEN_LIKE = Pattern.compile("tl[a-z]_[0-9A-Za-z]{8,}");
    private static final int MAX_PATH = 200;

    private final EventGateway events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration interval;
    private final int maxPerInterval;
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<Key, Tally> pending = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    /** Keys the hashes of unknown usernames: lines of one instance can be matched, no name can be tried against them. */
    private final byte[] nameKey = new byte[32];
    private volatile boolean failing;

    SecurityEvents(EventGateway events, PlatformTransactionManager transactions, Clock clock, MeterRegistry registry,
                   TokenLedgerProperties properties) {
        super("security-events", properties.securityEvents().interval());
        this.events = events;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.interval = properties.securityEvents().interval();
        this.maxPerInterval = properties.securityEvents().maxPerInterval();
        new SecureRandom().nextBytes(nameKey);
        REASONS.forEach((type, reasons) -> reasons.forEach(reason -> counters.put(type + "/" + reason,
                Counter.builder("tokenledger.security.events")
                        .description("Failed logins, lock-outs, refused tokens and denied requests, by type and reason")
                        .tag("type", type).tag("reason", reason).register(registry))));
    }

    /** A login refused for a wrong password, an unknown or a disabled user. */
    void loginFailed(String username, Optional<UserView> user) {
        String reason = user.isEmpty() ? "unknown_user" : user.get().enabled() ? "wrong_password" : "disabled_user";
        String type = LoginFailed.class.getSimpleName();
        Map<String, String> request = occurred(type, reason, subject(username, user));
        user.ifPresent(u -> tally(new Key(type, reason, u.id(), request.get(AuditMetadata.CLIENT_IP), null),
                request, AuditMetadataConfig.anonymous(), o -> new LoginFailed(new UserId(u.id()),
                        u.username(), reason, o.attempts(), o.firstAt(), o.lastAt(), o.firstRequestId(),
                        o.lastRequestId())));
    }

    /** A login refused before its password was checked, because of earlier failures. */
    void lockedOut(String username, Optional<UserView> user, LoginThrottle.TooManyAttempts refusal) {
        String reason = refusal.limit();
        String type = LoginLockedOut.class.getSimpleName();
        Map<String, String> request = occurred(type, reason,
                subject(username, user) + " retryAfterSeconds=" + refusal.retryAfterSeconds());
        user.ifPresent(u -> tally(new Key(type, reason, u.id(), request.get(AuditMetadata.CLIENT_IP), null),
                request, AuditMetadataConfig.anonymous(), o -> new LoginLockedOut(new UserId(u.id()),
                        u.username(), reason, o.attempts(), o.firstAt(), o.lastAt(), o.firstRequestId(),
                        o.lastRequestId())));
    }

    /**
     * Credentials refused: malformed (no secret), unknown (no credential), or a known token that may not
     * authenticate now (revoked, expired, its user disabled, or a login session idle for longer than its timeout).
     */
    void tokenRefused(Optional<TokenSecret> secret, Credential credential, boolean idle) {
        String type = TokenRefused.class.getSimpleName();
        if (secret.isEmpty()) {
            occurred(type, "malformed", "credentials=malformed");
            return;
        }
        if (credential == null) {
            occurred(type, "unknown", "token=sha256:" + secret.get().hash().hex().substring(0, 12));
            return;
        }
        String reason = idle ? "idle" : credential.status() == TokenStatus.REVOKED ? "revoked"
                : !credential.userEnabled() ? "user_disabled" : "expired";
        String hint = secret.get().hint();
        Map<String, String> request = occurred(type, reason, "token=" + hint + " tokenId=" + credential.tokenId()
                + " owner=" + credential.username() + " userId=" + credential.userId());
        tally(new Key(type, reason, credential.tokenId().value(), request.get(AuditMetadata.CLIENT_IP), null),
                request, AuditMetadataConfig.anonymous(), o -> new TokenRefused(credential.tokenId(),
                        credential.userId(), hint, reason, o.attempts(), o.firstAt(), o.lastAt(), o.firstRequestId(),
                        o.lastRequestId()));
    }

    /** A request answered 403: the caller's role does not allow it, or ({@code csrf}) its CSRF token is missing. */
    public void accessDenied(HttpServletRequest http, String reason) {
        String type = AccessDenied.class.getSimpleName();
        String method = http.getMethod();
        String path = path(http);
        Actor actor = SecurityContextHolder.getContext().getAuthentication() != null
                && SecurityContextHolder.getContext().getAuthentication().getPrincipal() instanceof Actor a ? a : null;
        Map<String, String> request = occurred(type, reason, (actor == null ? "user=(not authenticated)"
                : "user=" + actor.username() + " userId=" + actor.userId() + " role=" + actor.role()) + " " + method
                + " " + path);
        if (actor != null) {
            tally(new Key(type, reason, actor.userId().value(), request.get(AuditMetadata.CLIENT_IP),
                            method + " " + path), request,
                    AuditMetadataConfig.actor(actor.userId().toString(), actor.username(), actor.role().name()),
                    o -> new AccessDenied(actor.userId(), actor.tokenId(), method, path, reason, o.attempts(),
                            o.firstAt(), o.lastAt(), o.firstRequestId(), o.lastRequestId()));
        }
    }

    /** Logs and counts one occurrence; returns the request's audit metadata (address, user agent, request id). */
    private Map<String, String> occurred(String type, String reason, String subject) {
        counters.get(type + "/" + reason).increment();
        Map<String, String> request = AuditMetadataConfig.request();
        log.warn("Security event {} reason={} client={} requestId={} {}", type, reason,
                request.get(AuditMetadata.CLIENT_IP), request.get(AuditMetadata.REQUEST_ID), subject);
        return request;
    }

    /** A known user by name and id; an unknown one by the length and a keyed hash of what was typed, never by it. */
    private String subject(String username, Optional<UserView> user) {
        if (user.isPresent()) {
            return "user=" + user.get().username() + " userId=" + user.get().id();
        }
        String canonical = Usernames.canonical(username);
        return "unknownUser=[" + canonical.length() + " characters, ref " + keyedHash(canonical) + "]";
    }

    private String keyedHash(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(nameKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The request's path without its query, a token-like part masked, shortened. */
    private static String path(HttpServletRequest request) {
        String path = TOKEN_LIKE.matcher(request.getRequestURI()).replaceAll("tl?_\u2026");
        return path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "\u2026" : path;
    }

    /** What one stored event stands for: the attempts of one key within an interval. */
    record Occurrences(int attempts, Instant firstAt, Instant lastAt, String firstRequestId, String lastRequestId) {
    }

    /** One event-to-be: its type and reason, user or token, client address and (for a 403) method and path. */
    private record Key(String type, String reason, UUID subject, String client, String detail) {
    }

    /** The attempts of a key so far, and what its event is made of. */
    private static final class Tally {
        private final Map<String, String> actor;
        private final Function<Occurrences, Object> payload;
        private int attempts;
        private Instant firstAt;
        private Instant lastAt;
        private String firstRequestId;
        private String lastRequestId;
        private String userAgent;

        Tally(Map<String, String> actor, Function<Occurrences, Object> payload) {
            this.actor = actor;
            this.payload = payload;
        }

        void add(Instant at, String requestId, String agent) {
            if (attempts++ == 0) {
                firstAt = at;
                firstRequestId = requestId;
            }
            lastAt = at;
            lastRequestId = requestId;
            userAgent = agent;
        }

        /** This tally's attempts taken in again after a failed write, before those counted since. */
        Tally before(Tally later) {
            if (later == null) {
                return this;
            }
            later.attempts += attempts;
            later.firstAt = firstAt;
            later.firstRequestId = firstRequestId;
            return later;
        }
    }

    private void tally(Key key, Map<String, String> request, Map<String, String> actor,
                       Function<Occurrences, Object> payload) {
        Instant now = clock.instant();
        pending.compute(key, (k, tally) -> {
            if (tally == null) {
                if (pending.size() >= maxPerInterval) {
                    dropped.incrementAndGet();
                    return null;
                }
                tally = new Tally(actor, payload);
            }
            tally.add(now, request.get(AuditMetadata.REQUEST_ID), request.get(AuditMetadata.USER_AGENT));
            return tally;
        });
    }

    /** Stores what was counted since the last time, as one event per key, in one transaction; returns how many. */
    synchronized int flush() {
        Map<Key, Tally> taken = new HashMap<>();
        for (Key key : List.copyOf(pending.keySet())) {
            Tally tally = pending.remove(key);
            if (tally != null) {
                taken.put(key, tally);
            }
        }
        if (taken.isEmpty()) {
            return 0;
        }
        List<Object> messages = new ArrayList<>();
        taken.forEach((key, tally) -> {
            Map<String, String> meta = new HashMap<>(tally.actor);
            meta.put(AuditMetadata.CLIENT_IP, key.client());
            if (tally.userAgent != null) {
                meta.put(AuditMetadata.USER_AGENT, tally.userAgent);
            }
            messages.add(GenericEventMessage.asEventMessage(tally.payload.apply(new Occurrences(tally.attempts,
                    tally.firstAt, tally.lastAt, tally.firstRequestId, tally.lastRequestId))).andMetaData(meta));
        });
        try {
            tx.executeWithoutResult(status -> events.publish(messages));
        } catch (RuntimeException e) {
            taken.forEach((key, tally) -> pending.compute(key, (k, later) -> tally.before(later)));
            throw e;
        }
        return messages.size();
    }

    @Override
    protected void flushAndLog() {
        try {
            int stored = flush();
            if (failing) {
                failing = false;
                log.info("Security events are stored again ({} events)", stored);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Storing {} security events failed; retrying every {}: {}", pending.size(), interval,
                        e.toString());
            }
            failing = true;
        }
        long over = dropped.getAndSet(0);
        if (over > 0) {
            log.warn("{} security events over the limit of {} an interval were logged and counted, not stored", over,
                    maxPerInterval);
        }
    }
}
