package io.tokenledger.api.replay;

/**
 * An administrator started rebuilding a read model from the event store, up to the head it had then (who, from
 * where and when are in the event's audit metadata).
 */
public record ProjectionReplayStarted(String projection, long headGlobalIndex) {
}
