package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/**
 * What a token's events add up to. {@link #evolve} is the one definition of how each event changes a token:
 * the Token aggregate sources its state with it, and the audit replays a token's history with it, so the two
 * cannot drift apart. A use is not a change: {@link TokenUsed}, which older versions stored, changes nothing here
 * (the last use is telemetry, kept outside the event store).
 *
 * @param closestWarningDays fewest days of any expiry warning given so far, or null
 * @param scopes             what the token grants ({@link Scopes}); a temporary token grants {@link Scopes#API}
 * @param graceEndsAt        when a token rotated with a grace period stops working, or null
 * @param reuseReportedAt    when a use after its successor's was reported ({@link RotatedTokenReused}), or null
 * @param description        what the token is for, or null ({@link TokenLabels})
 * @param tags               the token's labels, possibly none ({@link TokenLabels})
 */
public record TokenState(TokenId tokenId, TokenKind kind, UserId ownerId, String name, String hint, TokenHash hash,
                         TokenStatus status, Instant createdAt, UserId createdBy, Instant expiresAt,
                         TokenId rotatedFrom, Instant revokedAt, UserId revokedBy, String revokeReason,
                         TokenId replacedBy, Instant expiredAt, Integer closestWarningDays, List<String> scopes,
                         Instant graceEndsAt, Instant reuseReportedAt, String description, List<String> tags) {

    public TokenState {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public TokenState(TokenId tokenId, TokenKind kind, UserId ownerId, String name, String hint, TokenHash hash,
                      TokenStatus status, Instant createdAt, UserId createdBy, Instant expiresAt,
                      TokenId rotatedFrom, Instant revokedAt, UserId revokedBy, String revokeReason,
                      TokenId replacedBy, Instant expiredAt, Integer closestWarningDays, List<String> scopes) {
        this(tokenId, kind, ownerId, name, hint, hash, status, createdAt, createdBy, expiresAt, rotatedFrom,
                revokedAt, revokedBy, revokeReason, replacedBy, expiredAt, closestWarningDays, scopes, null, null,
                null, null);
    }

    /** The state after {@code event}; {@code state} is null before the token's first event. */
    public static TokenState evolve(TokenState state, Object event) {
        if (event instanceof PermanentTokenCreated e) {
            return new TokenState(e.tokenId(), TokenKind.PERMANENT, e.ownerId(), e.name(), e.hint(), e.hash(),
                    TokenStatus.ACTIVE, e.createdAt(), e.createdBy(), e.expiresAt(), e.rotatedFrom(), null, null,
                    null, null, null, null, e.scopes(), null, null, e.description(), e.tags());
        }
        if (event instanceof TemporaryTokenIssued e) {
            return new TokenState(e.tokenId(), TokenKind.TEMPORARY, e.userId(), null, e.hint(), e.hash(),
                    TokenStatus.ACTIVE, e.issuedAt(), e.userId(), e.expiresAt(), null, null, null, null, null, null,
                    null, Scopes.DEFAULT, null, null, null, null);
        }
        if (state == null) {
            throw new IllegalStateException("a token's history starts with its creation, not " + event);
        }
        if (event instanceof TokenRotated e) {
            if (e.graceEndsAt() != null) {
                return new TokenState(state.tokenId, state.kind, state.ownerId, state.name, state.hint, state.hash,
                        TokenStatus.ROTATING, state.createdAt, state.createdBy, state.expiresAt, state.rotatedFrom,
                        state.revokedAt, state.revokedBy, state.revokeReason, e.replacedBy(), state.expiredAt,
                        state.closestWarningDays, state.scopes, e.graceEndsAt(), state.reuseReportedAt,
                        state.description, state.tags);
            }
            return state.with(state.revokedAt, state.revokedBy, state.revokeReason, e.replacedBy(), state.status,
                    state.expiredAt, state.closestWarningDays);
        }
        if (event instanceof RotatedTokenReused e) {
            return new TokenState(state.tokenId, state.kind, state.ownerId, state.name, state.hint, state.hash,
                    state.status, state.createdAt, state.createdBy, state.expiresAt, state.rotatedFrom,
                    state.revokedAt, state.revokedBy, state.revokeReason, state.replacedBy, state.expiredAt,
                    state.closestWarningDays, state.scopes, state.graceEndsAt, e.detectedAt(), state.description,
                    state.tags);
        }
        if (event instanceof TokenRevoked e) {
            return state.with(e.revokedAt(), e.revokedBy(), e.reason(), state.replacedBy, TokenStatus.REVOKED,
                    state.expiredAt, state.closestWarningDays);
        }
        if (event instanceof TokenExpired e) {
            return state.with(state.revokedAt, state.revokedBy, state.revokeReason, state.replacedBy,
                    TokenStatus.EXPIRED, e.expiredAt(), state.closestWarningDays);
        }
        if (event instanceof TokenDescribed e) {
            return new TokenState(state.tokenId, state.kind, state.ownerId, state.name, state.hint, state.hash,
                    state.status, state.createdAt, state.createdBy, state.expiresAt, state.rotatedFrom,
                    state.revokedAt, state.revokedBy, state.revokeReason, state.replacedBy, state.expiredAt,
                    state.closestWarningDays, state.scopes, state.graceEndsAt, state.reuseReportedAt,
                    e.description(), e.tags());
        }
        if (event instanceof TokenExpiryApproaching e) {
            return state.with(state.revokedAt, state.revokedBy, state.revokeReason, state.replacedBy, state.status,
                    state.expiredAt, e.daysBefore());
        }
        return state;
    }

    /**
     * The status as a read at {@code at} shows it: an active token past its expiry is expired, and so is a rotating
     * one past the end of its grace.
     */
    public TokenStatus statusAt(Instant at) {
        return working() && !at.isBefore(endsAt()) ? TokenStatus.EXPIRED : status;
    }

    /** Whether the token still authenticates at {@code at}: active, or rotating within its grace period. */
    public boolean worksAt(Instant at) {
        TokenStatus now = statusAt(at);
        return now == TokenStatus.ACTIVE || now == TokenStatus.ROTATING;
    }

    /**
     * When the token stops working unless revoked first: its expiry, or for a rotating token the end of its grace if
     * that comes first (a grace never takes a token past its own expiry).
     */
    public Instant endsAt() {
        return status == TokenStatus.ROTATING && graceEndsAt.isBefore(expiresAt) ? graceEndsAt : expiresAt;
    }

    private boolean working() {
        return status == TokenStatus.ACTIVE || status == TokenStatus.ROTATING;
    }

    private TokenState with(Instant revokedAt, UserId revokedBy, String revokeReason, TokenId replacedBy,
                            TokenStatus status, Instant expiredAt, Integer closestWarningDays) {
        return new TokenState(tokenId, kind, ownerId, name, hint, hash, status, createdAt, createdBy, expiresAt,
                rotatedFrom, revokedAt, revokedBy, revokeReason, replacedBy, expiredAt, closestWarningDays, scopes,
                graceEndsAt, reuseReportedAt, description, tags);
    }
}
