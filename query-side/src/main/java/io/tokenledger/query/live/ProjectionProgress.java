package io.tokenledger.query.live;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
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
    private static final long CLAIMS_TTL_NANOS = 1_000_000_000L;
    /** The key of the segments nobody holds of a group whose processor runs here: where they stand is unknown. */
    private static final int UNCLAIMED = -1;

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private volatile Claims claims;
    private volatile EventProcessingConfiguration configuration;

    ProjectionProgress(JdbcTemplate jdbc, Serializer serializer,
                       ObjectProvider<EventProcessingConfiguration> processing) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.processing = processing;
    }

    /** One group's segments, each with the token it has reached (null before it started). */
    public record Snapshot(Map<Integer, TrackingToken> segments) {

        /**
         * Whether every segment has handled (or passed over) the event delivered with this token: has seen
         * everything the token had seen. Not the token's position alone: an event committed after later ones
         * (a gap being filled) arrives with the token of the latest event seen, whose position is past its own.
         */
        public boolean covers(TrackingToken eventToken) {
            TrackingToken event = WrappedToken.unwrapLowerBound(eventToken);
            return !segments.isEmpty() && segments.values().stream().allMatch(token -> covers(token, event));
        }

        /**
         * Whether every segment has come as far as this global index. Events below it that a segment has
         * passed over as gaps (not yet committed when it read past them) are not judged here: see
         * {@link #gapsUpTo(long)}.
         */
        public boolean reached(long globalIndex) {
            return !segments.isEmpty() && segments.values().stream()
                    .allMatch(token -> position(token) >= globalIndex);
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

        private static boolean covers(TrackingToken token, TrackingToken event) {
            if (token == null) {
                return false;
            }
            TrackingToken lower = WrappedToken.unwrapLowerBound(token);
            if (lower instanceof GapAwareTrackingToken segment && event instanceof GapAwareTrackingToken) {
                return segment.covers(event);
            }
            return position(lower) >= event.position().orElse(Long.MAX_VALUE);
        }

        /** The segment's position (of its lower bound while it replays); -1 before it has one. */
        private static long position(TrackingToken token) {
            TrackingToken lower = token == null ? null : WrappedToken.unwrapLowerBound(token);
            return lower == null ? -1 : lower.position().orElse(-1);
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
     * Called by every waiting write and by the live updates every few milliseconds, so it stays cheap: a group
     * whose segments are all held here is read from its processor in memory, without the database; only segments
     * held elsewhere have their stored token read (and deserialized after the connection is back in the pool).
     * Who holds which segment is read at most once a second.
     */
    private Map<String, Snapshot> read(String onlyGroup) {
        Claims claimed = claims();
        Map<String, Set<Integer>> held = claimed.held();
        Map<String, EventProcessor> processors = processors();
        Set<String> groups = new HashSet<>(held.keySet());
        groups.addAll(processors.keySet());
        Map<String, Map<Integer, TrackingToken>> result = new HashMap<>();
        List<String> remoteGroups = new ArrayList<>();
        List<Integer> remoteSegments = new ArrayList<>();
        for (String group : groups) {
            if (onlyGroup != null && !onlyGroup.equals(group)) {
                continue;
            }
            Map<Integer, EventTrackerStatus> here = processors.get(group) instanceof StreamingEventProcessor local
                    && local.isRunning() && !local.isError() ? local.processingStatus() : Map.of();
            Map<Integer, TrackingToken> segments = new HashMap<>();
            here.forEach((segment, status) -> segments.put(segment, status.getTrackingToken()));
            if (!wholeRange(here)) {
                for (Integer segment : held.getOrDefault(group, Set.of())) {
                    if (!here.containsKey(segment)) {
                        segments.put(segment, null);
                        remoteGroups.add(group);
                        remoteSegments.add(segment);
                    }
                }
            }
            // A group nobody holds is handled whenever someone claims it: nothing to wait for now. Unless its
            // processor runs here: then segments of it are unclaimed only for a moment (at a start, or while it backs
            // off after a failure such as a database outage, which releases its claims) and will be claimed again
            // shortly, so how far they have come is unknown, and a write must not be answered as if they had.
            if (processors.get(group) instanceof StreamingEventProcessor local && local.isRunning()
                    && !wholeRange(here)) {
                Set<Integer> unclaimed = new HashSet<>(claimed.unheld().getOrDefault(group, Set.of()));
                unclaimed.removeAll(here.keySet());
                if (segments.isEmpty() || !unclaimed.isEmpty()) {
                    segments.put(UNCLAIMED, null);
                }
            }
            if (!segments.isEmpty()) {
                result.put(group, segments);
            }
        }
        if (!remoteGroups.isEmpty()) {
            List<Object[]> stored = jdbc.query("""
                    SELECT processor_name, segment, token, token_type, owner FROM token_entry
                    WHERE (processor_name, segment) IN (SELECT * FROM unnest(?::varchar[], ?::int[]))""",
                    (rs, i) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getBytes(3), rs.getString(4),
                            rs.getString(5)},
                    remoteGroups.toArray(String[]::new), remoteSegments.toArray(Integer[]::new));
            Map<String, Set<Integer>> found = new HashMap<>();
            for (Object[] row : stored) {
                if (row[4] != null) {
                    found.computeIfAbsent((String) row[0], g -> new HashSet<>()).add((Integer) row[1]);
                    result.get((String) row[0]).put((Integer) row[1], token((byte[]) row[2], (String) row[3]));
                }
            }
            // Segments released, merged or split since the claims were read have nothing to wait for.
            for (int i = 0; i < remoteGroups.size(); i++) {
                if (!found.getOrDefault(remoteGroups.get(i), Set.of()).contains(remoteSegments.get(i))) {
                    result.get(remoteGroups.get(i)).remove(remoteSegments.get(i));
                }
            }
            result.values().removeIf(Map::isEmpty);
        }
        Map<String, Snapshot> snapshots = new HashMap<>();
        result.forEach((group, segments) -> snapshots.put(group, new Snapshot(segments)));
        return snapshots;
    }

    /** Whether these segments together cover a group's whole range of events. */
    private static boolean wholeRange(Map<Integer, EventTrackerStatus> segments) {
        double covered = 0;
        for (EventTrackerStatus status : segments.values()) {
            covered += 1.0 / (status.getSegment().getMask() + 1);
        }
        return covered > 0.999_999;
    }

    /**
     * Which segments of which group someone holds, and which nobody does: read from the token store at most once a
     * second.
     */
    private Claims claims() {
        Claims current = claims;
        long now = System.nanoTime();
        if (current != null && now - current.readAt() < CLAIMS_TTL_NANOS) {
            return current;
        }
        Map<String, Set<Integer>> held = new HashMap<>();
        Map<String, Set<Integer>> unheld = new HashMap<>();
        jdbc.query("SELECT processor_name, segment, owner IS NOT NULL FROM token_entry",
                rs -> {
                    (rs.getBoolean(3) ? held : unheld).computeIfAbsent(rs.getString(1), g -> new HashSet<>())
                            .add(rs.getInt(2));
                });
        current = new Claims(held, unheld, now);
        claims = current;
        return current;
    }

    private record Claims(Map<String, Set<Integer>> held, Map<String, Set<Integer>> unheld, long readAt) {
    }

    /** This instance's processors by name (looked up once: resolving the bean on every call was costly). */
    private Map<String, EventProcessor> processors() {
        EventProcessingConfiguration configuration = this.configuration;
        if (configuration == null) {
            configuration = processing.getIfAvailable();
            if (configuration == null) {
                return Map.of();
            }
            this.configuration = configuration;
        }
        return configuration.eventProcessors();
    }
}
