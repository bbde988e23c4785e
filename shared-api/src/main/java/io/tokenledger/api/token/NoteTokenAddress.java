package io.tokenledger.api.token;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent when a token was first seen used from an address: a client address and user agent, and for an introspection
 * the public id of the client (resource server) that asked. The token records it once per address it has ever been
 * used from; an address it already knows changes nothing. {@code userAgent} and {@code client} are empty when absent.
 */
public record NoteTokenAddress(@TargetAggregateIdentifier TokenId tokenId, String ip, String userAgent,
                               String client, Instant firstSeenAt) {
}
