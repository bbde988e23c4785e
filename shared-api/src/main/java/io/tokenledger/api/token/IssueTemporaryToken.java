package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Issues the temporary token of a login session; only its hash and hint travel. {@code passwordVersion} is the
 * version of the user's password that the login checked: the token is refused if the password has changed since, or
 * the user was disabled (null: no login checked a password).
 */
public record IssueTemporaryToken(@TargetAggregateIdentifier TokenId tokenId, UserId userId, TokenHash hash,
                                  String hint, Instant issuedAt, Instant expiresAt, Long passwordVersion) {

    public IssueTemporaryToken(TokenId tokenId, UserId userId, TokenHash hash, String hint, Instant issuedAt,
                               Instant expiresAt) {
        this(tokenId, userId, hash, hint, issuedAt, expiresAt, null);
    }
}
