package io.tokenledger.query.token;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live token changes as server-sent events: this instance's live processor reports a changed token once the
 * inventory projection (wherever it runs) has written it, and every subscriber here allowed to see that token
 * gets its new view.
 */
@Component
public class TokenChanges implements SmartLifecycle {
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final TokenQueries queries;
    private volatile boolean running;

    TokenChanges(@org.springframework.context.annotation.Lazy TokenQueries queries) {
        this.queries = queries;
    }

    private record Subscriber(SseEmitter emitter, Predicate<io.tokenledger.api.token.TokenView> visible) {
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown, which would otherwise wait its whole
     * timeout for these never-ending requests; clients reconnect to another instance.
     */
    @Override
    public void stop() {
        running = false;
        for (Subscriber subscriber : subscribers) {
            subscriber.emitter().complete();
        }
        subscribers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Subscribes an emitter to the tokens the predicate lets it see. */
    public SseEmitter subscribe(Predicate<io.tokenledger.api.token.TokenView> visible) {
        SseEmitter emitter = new SseEmitter(0L);
        Subscriber subscriber = new Subscriber(emitter, visible);
        subscribers.add(subscriber);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        try {
            emitter.send(SseEmitter.event().comment("subscribed"));
        } catch (IOException e) {
            subscribers.remove(subscriber);
        }
        return emitter;
    }

    /** Whether anyone listens on this instance. */
    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    /** Sends the token's current view to every subscriber allowed to see it. */
    public void publish(UUID tokenId) {
        queries.view(tokenId).ifPresent(view -> {
            for (Subscriber subscriber : subscribers) {
                if (subscriber.visible().test(view)) {
                    try {
                        subscriber.emitter().send(SseEmitter.event().name("token").id(view.id()).data(view));
                    } catch (IOException | IllegalStateException e) {
                        subscribers.remove(subscriber);
                    }
                }
            }
        });
    }
}
