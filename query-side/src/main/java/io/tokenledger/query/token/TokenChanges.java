package io.tokenledger.query.token;

import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.user.Role;
import io.tokenledger.query.credential.Credential;
import io.tokenledger.query.live.LiveStreams;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live token changes as server-sent events: this instance's live processor reports a changed token once the
 * inventory projection (wherever it runs) has written it, and every stream here whose listener may see that token
 * now (an admin or auditor, or its owner, by the listener's current credential) gets its new view.
 */
@Component
public class TokenChanges {
    private final LiveStreams streams;
    private final TokenQueries queries;

    TokenChanges(LiveStreams streams, @org.springframework.context.annotation.Lazy TokenQueries queries) {
        this.streams = streams;
        this.queries = queries;
    }

    /** Opens a stream of token changes for the listener (see {@link LiveStreams#open}). */
    public SseEmitter subscribe(LiveStreams.Listener listener) {
        return streams.open(listener);
    }

    /** Whether anyone listens on this instance. */
    public boolean hasSubscribers() {
        return !streams.isEmpty();
    }

    /** Sends the token's current view to every listener allowed to see it now. */
    public void publish(UUID tokenId) {
        queries.view(tokenId).ifPresent(view -> streams.deliver(listener -> mayRead(listener, view),
                () -> SseEmitter.event().name("token").id(view.id()).data(view)));
    }

    private static boolean mayRead(Credential listener, TokenView view) {
        return listener.role() == Role.ADMIN || listener.role() == Role.AUDITOR
                || listener.userId().toString().equals(view.userId());
    }
}
