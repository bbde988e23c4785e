package io.tokenledger.query.live;

import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenDescribed;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserRoleChanged;
import io.tokenledger.query.credential.CredentialLookup;
import io.tokenledger.query.token.TokenChanges;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * This instance's own view of changes as they are stored, whichever instance stored them: its processor keeps its
 * token in memory and starts at the head, so every instance sees every new event. The read models were written in
 * the transaction that stored the event, so by the time it arrives here they show it: a revoked or expired token,
 * or a user's new state, is dropped from this instance's credential cache, the streams opened with that token or by
 * that disabled or re-roled user are closed, and the token stream's subscribers are told, at once.
 */
@Component
@ProcessingGroup(LiveUpdates.GROUP)
public class LiveUpdates {
    /** The processing group, and the name of the per-instance processor that runs it. */
    public static final String GROUP = "live";

    private final CredentialLookup credentials;
    private final LiveStreams streams;
    private final TokenChanges tokens;

    LiveUpdates(CredentialLookup credentials, LiveStreams streams, TokenChanges tokens) {
        this.credentials = credentials;
        this.streams = streams;
        this.tokens = tokens;
    }

    @EventHandler
    void on(PermanentTokenCreated event) {
        tokenChanged(event.tokenId().value());
    }

    @EventHandler
    void on(TemporaryTokenIssued event) {
        tokenChanged(event.tokenId().value());
    }

    @EventHandler
    void on(TokenRotated event) {
        if (event.graceEndsAt() != null) {
            credentials.tokenRotated(event.tokenId());
        }
        tokenChanged(event.tokenId().value());
    }

    @EventHandler
    void on(TokenDescribed event) {
        tokenChanged(event.tokenId().value());
    }

    @EventHandler
    void on(TokenRevoked event) {
        credentials.tokenEnded(event.hash());
        streams.tokenEnded(event.tokenId());
        tokenChanged(event.tokenId().value());
    }

    @EventHandler
    void on(TokenExpired event) {
        credentials.tokenEnded(event.hash());
        streams.tokenEnded(event.tokenId());
        tokenChanged(event.tokenId().value());
    }

    @EventHandler
    void on(UserDisabled event) {
        credentials.userChanged(event.userId());
        streams.userChanged(event.userId());
    }

    @EventHandler
    void on(UserEnabled event) {
        credentials.userChanged(event.userId());
    }

    @EventHandler
    void on(UserRoleChanged event) {
        credentials.userChanged(event.userId());
        streams.userChanged(event.userId());
    }

    private void tokenChanged(UUID tokenId) {
        if (tokens.hasSubscribers()) {
            tokens.publish(tokenId);
        }
    }
}
