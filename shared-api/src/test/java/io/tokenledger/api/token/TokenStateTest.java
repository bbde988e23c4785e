package io.tokenledger.api.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenledger.api.user.UserId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one definition of what each event does to a token. */
class TokenStateTest {
    private static final Instant T0 = Instant.parse("2026-01-10T12:00:00Z");
    private final TokenId id = TokenId.random();
    private final UserId owner = UserId.random();
    private final UserId admin = UserId.random();
    private final TokenHash hash = new TokenHash("cd".repeat(32));

    private TokenState created() {
        return TokenState.evolve(null, new PermanentTokenCreated(id, owner, "deploy", hash, "tlp_…abcd", T0, admin,
                T0.plus(Duration.ofDays(30)), null));
    }

    @Test
    void aTokenGoesFromCreatedThroughWarningAndRotationToRevoked() {
        TokenState state = created();
        assertThat(state.status()).isEqualTo(TokenStatus.ACTIVE);
        assertThat(state.kind()).isEqualTo(TokenKind.PERMANENT);
        state = TokenState.evolve(state, new TokenExpiryApproaching(id, owner, "deploy", "tlp_…abcd",
                T0.plus(Duration.ofDays(30)), 7, T0.plus(Duration.ofDays(23))));
        assertThat(state.closestWarningDays()).isEqualTo(7);
        TokenId successor = TokenId.random();
        state = TokenState.evolve(state, new TokenRotated(id, successor, admin));
        state = TokenState.evolve(state, new TokenRevoked(id, owner, hash, admin, "ROTATED", T0.plusSeconds(120)));
        assertThat(state.status()).isEqualTo(TokenStatus.REVOKED);
        assertThat(state.replacedBy()).isEqualTo(successor);
        assertThat(state.revokedBy()).isEqualTo(admin);
        assertThat(state.revokeReason()).isEqualTo("ROTATED");
    }

    /** Older versions stored a use as an event; such a stored event still reads, and changes nothing. */
    @Test
    void aStoredUseChangesNothing() {
        TokenState state = created();
        assertThat(TokenState.evolve(state, new TokenUsed(id, T0.plusSeconds(60), "10.0.0.7"))).isEqualTo(state);
    }

    @Test
    void anActiveTokenPastItsExpiryReadsAsExpired() {
        TokenState state = created();
        assertThat(state.statusAt(T0.plus(Duration.ofDays(30)).minusMillis(1))).isEqualTo(TokenStatus.ACTIVE);
        assertThat(state.statusAt(T0.plus(Duration.ofDays(30)))).isEqualTo(TokenStatus.EXPIRED);
        TokenState expired = TokenState.evolve(state, new TokenExpired(id, owner, hash, T0.plus(Duration.ofDays(30))));
        assertThat(expired.status()).isEqualTo(TokenStatus.EXPIRED);
        assertThat(expired.expiredAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    }

    @Test
    void aRotationWithAGracePeriodLeavesTheTokenWorkingUntilTheGraceOrItsExpiryEnds() {
        TokenId successor = TokenId.random();
        Instant graceEndsAt = T0.plus(Duration.ofHours(1));
        TokenState rotating = TokenState.evolve(created(), new TokenRotated(id, successor, admin, graceEndsAt));
        assertThat(rotating.status()).isEqualTo(TokenStatus.ROTATING);
        assertThat(rotating.replacedBy()).isEqualTo(successor);
        assertThat(rotating.endsAt()).isEqualTo(graceEndsAt);
        assertThat(rotating.worksAt(graceEndsAt.minusMillis(1))).isTrue();
        assertThat(rotating.statusAt(graceEndsAt)).isEqualTo(TokenStatus.EXPIRED);
        assertThat(rotating.worksAt(graceEndsAt)).isFalse();

        TokenState pastExpiry = TokenState.evolve(created(),
                new TokenRotated(id, successor, admin, T0.plus(Duration.ofDays(31))));
        assertThat(pastExpiry.endsAt()).as("never past its own expiry").isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(pastExpiry.statusAt(T0.plus(Duration.ofDays(30)))).isEqualTo(TokenStatus.EXPIRED);

        TokenState reused = TokenState.evolve(rotating, new RotatedTokenReused(id, owner, "deploy", "tlp_…abcd",
                T0.plus(Duration.ofDays(30)), Scopes.DEFAULT, successor, graceEndsAt, T0.plusSeconds(60)));
        assertThat(reused.reuseReportedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(reused.status()).as("a reuse revokes nothing").isEqualTo(TokenStatus.ROTATING);
    }

    @Test
    void aHistoryStartsWithTheTokensCreation() {
        assertThatThrownBy(() -> TokenState.evolve(null, new TokenUsed(id, T0, "10.0.0.7")))
                .isInstanceOf(IllegalStateException.class);
        TokenState temporary = TokenState.evolve(null, new TemporaryTokenIssued(id, owner, hash, "tlt_…abcd", T0,
                T0.plus(Duration.ofHours(12))));
        assertThat(temporary.kind()).isEqualTo(TokenKind.TEMPORARY);
        assertThat(temporary.createdBy()).isEqualTo(owner);
    }
}
