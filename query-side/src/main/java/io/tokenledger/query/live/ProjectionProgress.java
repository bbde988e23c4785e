package io.tokenledger.query.live;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far processing groups have come, cluster-wide. A segment this instance holds is read from its processor
 * in memory (exact, at once); a segment another instance holds is read from the shared token store, whose
 * token commits in the same transaction as the projection's rows. A segment that had nothing to handle stores
 * its token only when its claim is extended, so there the store may trail by a few seconds.
 */
@Component
public class ProjectionProgress {
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final ObjectProvider<EventProcessingConfiguration> processing;

    ProjectionProgress(JdbcTemplate jdbc, Serializer serializer,
                       ObjectProvider<EventProcessingConfiguration> processing) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.processing = processing;
    }

    /** One group's segments, each with the token it has reached (null before it started). */
    public record Snapshot(Map<Integer, TrackingToken> segments) {

        /** Whether every segment has handled (or passed over) the event at this global index. */
        public boolean covers(long globalIndex) {
            return !segments.isEmpty() && segments.values().stream().allMatch(token -> covers(token, globalIndex));
        }

        private static boolean covers(TrackingToken token, long globalIndex) {
            if (token == null) {
                return false;
            }
            TrackingToken lower = WrappedToken.unwrapLowerBound(token);
            if (lower instanceof GapAwareTrackingToken gapAware) {
                return gapAware.getIndex() >= globalIndex && !gapAware.getGaps().contains(globalIndex);
            }
            return lower != null && lower.position().orElse(-1) >= globalIndex;
        }
    }

    /** One group's progress now. */
    public Snapshot of(String group) {
        return read(group).getOrDefault(group, new Snapshot(Map.of()));
    }

    /**
     * Every group that some instance runs now, with the segments someone holds, read in one query; a group whose
     * segments nobody holds is left out, since waiting on it would wait for nothing.
     */
    public Map<String, Snapshot> running() {
        return read(null);
    }

    /**
     * The lowest position each group has stored for any of its segments, held or not (0 for a segment without a
     * token): where the group as a whole stands, as listed by the projections endpoint.
     */
    public Map<String, Long> storedPositions() {
        Map<String, Long> positions = new HashMap<>();
        jdbc.query("SELECT processor_name, token, token_type FROM token_entry", rs -> {
            TrackingToken token = token(rs.getBytes(2), rs.getString(3));
            long position = token == null ? 0 : WrappedToken.unwrapLowerBound(token).position().orElse(0);
            positions.merge(rs.getString(1), position, Math::min);
        });
        return positions;
    }

    private TrackingToken token(byte[] serialized, String type) {
        return serialized == null ? null : serializer.deserialize(
                new SimpleSerializedObject<>(serialized, byte[].class, new SimpleSerializedType(type, null)));
    }

    private Map<String, Snapshot> read(String onlyGroup) {
        Map<String, Map<Integer, TrackingToken>> groups = new HashMap<>();
        jdbc.query("SELECT processor_name, segment, token, token_type, owner FROM token_entry"
                        + (onlyGroup == null ? "" : " WHERE processor_name = ?"),
                rs -> {
                    // A segment nobody holds is handled whenever someone claims it: nothing to wait for now.
                    if (rs.getString(5) == null) {
                        return;
                    }
                    groups.computeIfAbsent(rs.getString(1), g -> new HashMap<>())
                            .put(rs.getInt(2), token(rs.getBytes(3), rs.getString(4)));
                }, onlyGroup == null ? new Object[0] : new Object[] {onlyGroup});
        Map<String, Snapshot> snapshots = new HashMap<>();
        groups.forEach((group, segments) -> {
            local(group).ifPresent(processor -> processor.processingStatus().forEach((segment, status) ->
                    segments.put(segment, status.getTrackingToken())));
            snapshots.put(group, new Snapshot(segments));
        });
        return snapshots;
    }

    private Optional<StreamingEventProcessor> local(String group) {
        EventProcessingConfiguration configuration = processing.getIfAvailable();
        if (configuration == null) {
            return Optional.empty();
        }
        return configuration.eventProcessor(group, StreamingEventProcessor.class)
                .filter(p -> p.isRunning() && !p.isError());
    }
}
