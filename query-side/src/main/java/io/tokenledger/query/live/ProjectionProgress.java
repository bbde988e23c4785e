package io.tokenledger.query.live;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far a processing group has come, cluster-wide: read from the shared token store, whichever instance
 * holds its segments. A projection's token commits in the same transaction as its rows, so once it covers an
 * event, every instance reads that event's effect.
 */
@Component
public class ProjectionProgress {
    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    ProjectionProgress(JdbcTemplate jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /** The group's segments' tokens as they stand in the token store now. */
    public Snapshot of(String group) {
        List<TrackingToken> tokens = new ArrayList<>();
        jdbc.query("SELECT token, token_type FROM token_entry WHERE processor_name = ?", rs -> {
            byte[] token = rs.getBytes(1);
            tokens.add(token == null ? null : serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class,
                    new SimpleSerializedType(rs.getString(2), null))));
        }, group);
        return new Snapshot(tokens);
    }

    /** The tokens of one group's segments at one moment (a segment that has not started has none). */
    public record Snapshot(List<TrackingToken> tokens) {

        /** Whether every segment has handled (or passed over) the event at this global index. */
        public boolean covers(long globalIndex) {
            return !tokens.isEmpty() && tokens.stream().allMatch(token -> covers(token, globalIndex));
        }

        /** The lowest position of any segment, or -1 before the group has started. */
        public long position() {
            return tokens.stream().mapToLong(t -> t == null ? -1 : WrappedToken.unwrapLowerBound(t).position()
                    .orElse(-1)).min().orElse(-1);
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
}
