package io.tokenledger.query.live;

import io.tokenledger.api.Actor;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.query.QueryProperties;
import io.tokenledger.query.credential.Credential;
import io.tokenledger.query.credential.CredentialLookup;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * This instance's open server-sent event streams, whatever they carry. A stream is authorised for as long as it is
 * open, not once: it lives only while the token it was opened with still authenticates and its user keeps the role
 * it had then. The live processor closes a stream as soon as its token is revoked or expires (a logout is a
 * revocation) or its user is disabled or given another role, whichever instance handled that; and every delivery and
 * every heartbeat checks the listener's credential again, so a stream missed by those (opened while its token was
 * being revoked, or past its token's expiry before the deadline fired) is closed at its next message at the latest.
 * A user holds at most {@code tokenledger.stream.max-per-user} streams on an instance; the place is given back when
 * the stream ends, however it ends.
 */
@Component
public class LiveStreams implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);

    private final CredentialLookup credentials;
    private final Clock clock;
    private final int maxPerUser;
    private final Duration heartbeat;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    /** Streams held per user; changed only under the map's lock of the user, so the cap holds under concurrency. */
    private final Map<UserId, Integer> held = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService heartbeats;
    private volatile boolean running;
    private volatile boolean stopped;

    LiveStreams(CredentialLookup credentials, Clock clock, QueryProperties properties) {
        this.credentials = credentials;
        this.clock = clock;
        this.maxPerUser = properties.stream().maxPerUser();
        this.heartbeat = properties.stream().heartbeat();
    }

    /**
     * Who listens: the token the stream was opened with (its hash finds its credential now) and the user's role
     * when it was opened. Every stream endpoint opens its stream with {@link #of} and {@link #open}.
     */
    public record Listener(TokenHash hash, TokenId tokenId, UserId userId, Role role) {

        /** The listener of a stream the current request opens, authenticated as the actor. */
        public static Listener of(Actor actor) {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null && authentication.getCredentials() instanceof TokenSecret secret) {
                return new Listener(secret.hash(), actor.tokenId(), actor.userId(), actor.role());
            }
            throw new IllegalStateException("a stream is opened by a request authenticated with a token");
        }
    }

    /** A refused stream: the user already holds as many as allowed (429). */
    public static final class TooManyStreams extends ErrorResponseException {
        TooManyStreams(int max) {
            super(HttpStatus.TOO_MANY_REQUESTS, problem(max), null);
        }

        private static ProblemDetail problem(int max) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                    "a user may hold at most " + max + " live streams at a time: close one before opening another");
            problem.setType(java.net.URI.create("urn:tokenledger:problem:too-many-streams"));
            problem.setTitle(HttpStatus.TOO_MANY_REQUESTS.getReasonPhrase());
            return problem;
        }
    }

    private static final class Stream {
        final Listener listener;
        final SseEmitter emitter = new SseEmitter(0L);
        final AtomicBoolean ended = new AtomicBoolean();

        Stream(Listener listener) {
            this.listener = listener;
        }
    }

    /**
     * Opens a stream for the listener, or refuses it with {@link TooManyStreams}. Checked once more after it is
     * registered: a revocation that was being handled meanwhile either finds it registered or is seen by this check.
     */
    public SseEmitter open(Listener listener) {
        if (!take(listener.userId())) {
            throw new TooManyStreams(maxPerUser);
        }
        Stream stream = new Stream(listener);
        stream.emitter.onCompletion(() -> ended(stream));
        stream.emitter.onTimeout(() -> ended(stream));
        stream.emitter.onError(e -> ended(stream));
        open.add(stream);
        if (stopped) {
            close(stream, "server stopping");
        } else if (authority(stream).isPresent()) {
            send(stream, () -> SseEmitter.event().comment("subscribed"));
        }
        return stream.emitter;
    }

    /** Whether any stream is open on this instance. */
    public boolean isEmpty() {
        return open.isEmpty();
    }

    /**
     * Sends an event to every stream whose listener may, now, both listen and see it ({@code visible} is given the
     * listener's current credential); a stream whose listener no longer may listen is closed instead.
     */
    public void deliver(Predicate<Credential> visible, Supplier<SseEventBuilder> event) {
        for (Stream stream : open) {
            authority(stream).filter(visible).ifPresent(c -> send(stream, event));
        }
    }

    /** A token was revoked or expired: the streams opened with it close. */
    public void tokenEnded(TokenId tokenId) {
        for (Stream stream : open) {
            if (stream.listener.tokenId().equals(tokenId)) {
                close(stream, "the token was revoked or expired");
            }
        }
    }

    /** A user was disabled or given another role: the user's streams close (a new one gets the new role). */
    public void userChanged(UserId userId) {
        for (Stream stream : open) {
            if (stream.listener.userId().equals(userId)) {
                close(stream, "the user was disabled or changed role");
            }
        }
    }

    /** The listener's credential if it may still listen; otherwise the stream is closed and the answer empty. */
    private Optional<Credential> authority(Stream stream) {
        Listener listener = stream.listener;
        Optional<Credential> credential;
        try {
            credential = credentials.recheck(listener.hash());
        } catch (DataAccessException e) {
            // Nothing known about the listener now: it may have lost its authority.
            close(stream, "its authority could not be checked");
            return Optional.empty();
        }
        Optional<Credential> current = credential
                .filter(c -> c.isValidAt(clock.instant()) && c.role() == listener.role());
        if (current.isEmpty()) {
            close(stream, "the token or the user's authority has ended");
        }
        return current;
    }

    private void heartbeat() {
        for (Stream stream : open) {
            if (authority(stream).isPresent()) {
                send(stream, () -> SseEmitter.event().comment("heartbeat"));
            }
        }
    }

    private void send(Stream stream, Supplier<SseEventBuilder> event) {
        if (stream.ended.get()) {
            return;
        }
        try {
            stream.emitter.send(event.get());
        } catch (IOException | IllegalStateException gone) {
            // The client went away (or the response is complete): the container completes the request.
            ended(stream);
        }
    }

    /** Ends the stream: its place is given back, and its client is told why before the response completes. */
    private void close(Stream stream, String reason) {
        if (ended(stream)) {
            try {
                stream.emitter.send(SseEmitter.event().comment("closed: " + reason));
            } catch (IOException | IllegalStateException gone) {
                // nobody left to tell
            }
            try {
                stream.emitter.complete();
            } catch (IllegalStateException alreadyComplete) {
                // completed by the container meanwhile
            }
        }
    }

    /** Marks the stream ended and gives its place back, once; true the first time. */
    private boolean ended(Stream stream) {
        if (!stream.ended.compareAndSet(false, true)) {
            return false;
        }
        open.remove(stream);
        held.computeIfPresent(stream.listener.userId(), (user, count) -> count <= 1 ? null : count - 1);
        return true;
    }

    private boolean take(UserId userId) {
        boolean[] taken = {false};
        held.compute(userId, (user, count) -> {
            int now = count == null ? 0 : count;
            if (now >= maxPerUser) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "live-stream-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = heartbeat.toMillis();
        executor.scheduleAtFixedRate(() -> {
            try {
                heartbeat();
            } catch (RuntimeException e) {
                log.warn("Heartbeat of the live streams failed; next one in {}", heartbeat, e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        heartbeats = executor;
        stopped = false;
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown, which would otherwise wait its whole
     * timeout for these never-ending requests; clients reconnect to another instance.
     */
    @Override
    public void stop() {
        stopped = true;
        running = false;
        ScheduledExecutorService executor = heartbeats;
        if (executor != null) {
            executor.shutdownNow();
        }
        for (Stream stream : open) {
            close(stream, "server stopping");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
