package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;

/**
 * A permanent token was used from an address (client address, user agent, introspecting client) it had never been
 * used from. {@code alert} is set when App Config asked for an alert on such a use and the token was past its first
 * 24 hours: the notifier then raises a {@code TOKEN_USED_FROM_NEW_ADDRESS} fault. {@code userAgent} and
 * {@code client} are empty when the request had none.
 */
public record TokenUsedFromNewAddress(TokenId tokenId, UserId ownerId, String name, String hint, Instant expiresAt,
                                      String ip,
                                      String userAgent, String client, Instant firstSeenAt, boolean alert) {
}
