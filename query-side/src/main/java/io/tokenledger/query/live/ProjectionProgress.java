package io.tokenledger.query.live;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
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

        /**
         * Whether every segment has come as far as this global index. Events below it that a segment has
         * passed over as gaps (not yet committed when it read past them) are not judged here: see
         * {@link #gapsUpTo(long)}.
         */
        public boolean reached(long globalIndex) {
            return !segments.isEmpty() && segments.values().stream().allMatch(token -> token != null
                    && WrappedToken.unwrapLowerBound(token) != null
                    && WrappedToken.unwrapLowerBound(token).position().orElse(-1) >= globalIndex);
        }

        /** The gaps at or below this global index that some segment still waits for. */
        public Set<Long> gapsUpTo(long globalIndex) {
            Set<Long> gaps = new TreeSet<>();
            for (TrackingToken token : segments.values()) {
                if (token != null && WrappedToken.unwrapLowerBound(token) instanceof GapAwareTrackingToken gapAware) {
                    gaps.addAll(gapAware.getGaps().headSet(globalIndex + 1));
                }
            }
            return gaps;
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

    /**
     * Which of these global indexes hold committed events. A gap that does is an event a processor has yet to
     * handle; one that does not is a write still in flight or rolled back.
     */
    public Set<Long> committed(Collection<Long> globalIndexes) {
        if (globalIndexes.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("SELECT global_index FROM domain_event_entry WHERE global_index = ANY(?)",
                Long.class, (Object) globalIndexes.toArray(Long[]::new)));
    }

    private TrackingToken token(byte[] serialized, String type) {
        return serialized == null ? null : serializer.deserialize(
                new SimpleSerializedObject<>(serialized, byte[].class, new SimpleSerializedType(type, null)));
    }

    /**
     * Called by every waiting write, every few milliseconds, so it stays cheap: who holds which segment is read
     * without the tokens; a segment held here is read from its processor; only segments held elsewhere have
     * their stored token read and deserialized, after the connection is back in the pool.
     */
    private Map<String, Snapshot> read(String onlyGroup) {
        Map<String, Map<Integer, TrackingToken>> groups = new HashMap<>();
        // A segment nobody holds is handled whenever someone claims it: nothing to wait for now.
        jdbc.query("SELECT processor_name, segment FROM token_entry WHERE owner IS NOT NULL"
                        + (onlyGroup == null ? "" : " AND processor_name = ?"),
                rs -> {
                    groups.computeIfAbsent(rs.getString(1), g -> new HashMap<>()).put(rs.getInt(2), null);
                }, onlyGroup == null ? new Object[0] : new Object[] {onlyGroup});
        List<String> remoteGroups = new ArrayList<>();
        List<Integer> remoteSegments = new ArrayList<>();
        groups.forEach((group, segments) -> {
            Map<Integer, EventTrackerStatus> here = local(group).map(StreamingEventProcessor::processingStatus)
                    .orElse(Map.of());
            for (Map.Entry<Integer, TrackingToken> segment : segments.entrySet()) {
                EventTrackerStatus status = here.get(segment.getKey());
                if (status != null) {
                    segment.setValue(status.getTrackingToken());
                } else {
                    remoteGroups.add(group);
                    remoteSegments.add(segment.getKey());
                }
            }
            here.forEach((segment, status) -> segments.put(segment, status.getTrackingToken()));
        });
        if (!remoteGroups.isEmpty()) {
            List<Object[]> stored = jdbc.query("""
                    SELECT processor_name, segment, token, token_type FROM token_entry
                    WHERE (processor_name, segment) IN (SELECT * FROM unnest(?::varchar[], ?::int[]))""",
                    (rs, i) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getBytes(3), rs.getString(4)},
                    remoteGroups.toArray(String[]::new), remoteSegments.toArray(Integer[]::new));
            for (Object[] row : stored) {
                groups.get((String) row[0]).put((Integer) row[1], token((byte[]) row[2], (String) row[3]));
            }
        }
        Map<String, Snapshot> snapshots = new HashMap<>();
        groups.forEach((group, segments) -> snapshots.put(group, new Snapshot(segments)));
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
