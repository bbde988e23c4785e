package io.tokenledger.command.token;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.IssueTemporaryToken;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenHash;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** An API token. It knows only the hash of its secret, never the plaintext. */
@Aggregate
public class Token {
    @AggregateIdentifier
    private TokenId tokenId;
    private TokenKind kind;
    private UserId ownerId;
    private TokenHash hash;
    private TokenStatus status;
    private Instant expiresAt;

    protected Token() {
    }

    @CommandHandler
    public Token(IssueTemporaryToken command) {
        if (!command.expiresAt().isAfter(command.issuedAt())) {
            throw CommandRejected.invalid("expiresAt", "must be after the time of issue");
        }
        apply(new TemporaryTokenIssued(command.tokenId(), command.userId(), command.hash(), command.hint(),
                command.issuedAt(), command.expiresAt()));
    }

    @CommandHandler
    public void handle(RevokeToken command) {
        if (status == TokenStatus.REVOKED) {
            return;
        }
        apply(new TokenRevoked(tokenId, ownerId, hash, command.revokedBy(), command.reason(),
                GenericEventMessage.clock.instant()));
    }

    @EventSourcingHandler
    void on(TemporaryTokenIssued event) {
        tokenId = event.tokenId();
        kind = TokenKind.TEMPORARY;
        ownerId = event.userId();
        hash = event.hash();
        status = TokenStatus.ACTIVE;
        expiresAt = event.expiresAt();
    }

    @EventSourcingHandler
    void on(TokenRevoked event) {
        status = TokenStatus.REVOKED;
    }
}
