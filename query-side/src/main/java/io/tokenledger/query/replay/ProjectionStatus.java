package io.tokenledger.query.replay;

import java.time.Instant;

/**
 * One processing group as operators see it: where it is in the event store (the lowest position of its
 * segments, cluster-wide from the token store), how far behind the head, and its latest replay.
 *
 * @param status         {@code REPLAYING}, or how its processor is doing on this instance: {@code RUNNING},
 *                       {@code ERROR}, {@code STOPPED}, or {@code NOT_RUNNING_HERE} (other instances may run it)
 * @param replayable     whether it can be rebuilt; the notifier, sagas and the hash chain never are
 * @param replayProgress the latest replay, or null when it was never replayed
 */
public record ProjectionStatus(String name, String status, Long position, long headPosition, Long lag,
                               boolean replayable, boolean replaying, Progress replayProgress) {

    /**
     * A replay's progress: the events of this projection applied so far, and its position against the head of
     * the event store when it last reported.
     *
     * @param state {@code RUNNING}, {@code DONE} or {@code FAILED}
     */
    public record Progress(String state, long eventsApplied, Long position, Long headPosition, double percent,
                           Instant startedAt, Instant updatedAt, Instant finishedAt, String failure) {
    }
}
