package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Issues the temporary token of a login session; only its hash and hint travel. */
public record IssueTemporaryToken(@TargetAggregateIdentifier TokenId tokenId, UserId userId, TokenHash hash,
                                  String hint, Instant issuedAt, Instant expiresAt) {
}
