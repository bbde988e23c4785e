package io.tokenledger.api.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/**
 * An active permanent token is {@code daysBefore} days or fewer from expiry; at most once per token and threshold.
 * {@code scopes} (for the e-mails) is absent in events stored before tokens had scopes, and left out while default.
 */
public record TokenExpiryApproaching(TokenId tokenId, UserId ownerId, String name, String hint, Instant expiresAt,
                                     int daysBefore, Instant warnedAt,
                                     @JsonInclude(value = JsonInclude.Include.CUSTOM,
                                             valueFilter = Scopes.DefaultFilter.class) List<String> scopes) {

    public TokenExpiryApproaching {
        scopes = Scopes.orDefault(scopes);
    }

    public TokenExpiryApproaching(TokenId tokenId, UserId ownerId, String name, String hint, Instant expiresAt,
                                  int daysBefore, Instant warnedAt) {
        this(tokenId, ownerId, name, hint, expiresAt, daysBefore, warnedAt, Scopes.DEFAULT);
    }
}
