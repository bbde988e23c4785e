package io.tokenledger.api.token;

import io.tokenledger.api.Actor;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Revokes a token; revoking a revoked token changes nothing. {@code actor} is null when the system revokes
 * (logout, a disabled user); otherwise it must be an admin or the token's owner. {@code jobId} names the bulk
 * revoke job that asks, if one does.
 */
public record RevokeToken(@TargetAggregateIdentifier TokenId tokenId, Actor actor, String reason, UUID jobId) {

    /** Reason that starts the reason of every revocation by a bulk revoke job. */
    public static final String BULK = "BULK";

    /** Reason recorded when a user is disabled. */
    public static final String USER_DISABLED = "USER_DISABLED";
    /** Reason recorded when a token is replaced by rotation. */
    public static final String ROTATED = "ROTATED";
    /** Reason recorded when a registered client (a resource server) revoked the token (RFC 7009). */
    public static final String CLIENT_REVOKED = "CLIENT_REVOKED";
    /** Reason recorded when a secret scanner reported the token leaked. */
    public static final String REPORTED_LEAKED = "REPORTED_LEAKED";
    /** Reason recorded when the inactivity policy revoked a permanent token unused for too long. */
    public static final String INACTIVE = "INACTIVE";
    /** Reason recorded at logout. */
    public static final String LOGOUT = "LOGOUT";
    /** Reason recorded for a login session ended because its user's password was changed. */
    public static final String PASSWORD_CHANGED = "PASSWORD_CHANGED";

    public RevokeToken(TokenId tokenId, Actor actor, String reason) {
        this(tokenId, actor, reason, null);
    }
}
