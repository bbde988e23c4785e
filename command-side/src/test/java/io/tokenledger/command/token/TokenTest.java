package io.tokenledger.command.token;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.IssueTemporaryToken;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.api.user.UserId;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    private final TokenId id = TokenId.random();
    private final UserId owner = UserId.random();
    private final TokenSecret secret = TokenSecret.generate(TokenKind.TEMPORARY);
    private FixtureConfiguration<Token> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Token.class);
    }

    private TemporaryTokenIssued issued() {
        return new TemporaryTokenIssued(id, owner, secret.hash(), secret.hint(), NOW, NOW.plus(Duration.ofHours(12)));
    }

    @Test
    void loginIssuesATemporaryTokenKnownOnlyByItsHash() {
        fixture.givenNoPriorActivity()
                .when(new IssueTemporaryToken(id, owner, secret.hash(), secret.hint(), NOW,
                        NOW.plus(Duration.ofHours(12))))
                .expectEvents(issued());
    }

    @Test
    void aTemporaryTokenMustExpireAfterItIsIssued() {
        fixture.givenNoPriorActivity()
                .when(new IssueTemporaryToken(id, owner, secret.hash(), secret.hint(), NOW, NOW))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void revokingRecordsWhoAndWhyAndIsIdempotent() {
        fixture.given(issued())
                .andGivenCurrentTime(NOW.plusSeconds(60))
                .when(new RevokeToken(id, owner, "LOGOUT"))
                .expectEvents(new TokenRevoked(id, owner, secret.hash(), owner, "LOGOUT", NOW.plusSeconds(60)));
        fixture.given(issued(), new TokenRevoked(id, owner, secret.hash(), owner, "LOGOUT", NOW))
                .when(new RevokeToken(id, owner, "again"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
