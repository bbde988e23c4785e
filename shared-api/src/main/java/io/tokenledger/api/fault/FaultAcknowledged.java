package io.tokenledger.api.fault;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.util.UUID;

/**
 * An administrator acknowledged an open fault (who, from where and when are in the event's audit metadata). The
 * fault's token and owner are named so the audit log files it under both; {@code daysBefore} is null for a fault that
 * is no expiry warning (a leaked token).
 */
public record FaultAcknowledged(UUID faultId, String type, TokenId tokenId, UserId ownerId, Integer daysBefore) {
}
