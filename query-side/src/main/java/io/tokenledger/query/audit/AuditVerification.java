package io.tokenledger.query.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokenledger.query.replay.ProjectionReplays.ReadModelCheck;
import java.util.List;

/**
 * The answer of {@code GET /api/audit/verify}: the hash chain over the event store, and the read models that decide
 * who is authenticated as what, each rebuilt from the events and compared with its tables. A row no event explains
 * (one written into the database behind the application's back) fails the verification as a changed event does.
 *
 * @param verified               the chain is intact and every checked read model is what its events make of it
 * @param checkedEvents          links recomputed, up to and including the first broken one
 * @param firstBrokenGlobalIndex global index of the first event whose link does not match, absent when intact
 * @param headHash               the hash of the chain's last link as stored, null while the chain is empty
 * @param readModels             each checked read model, with the rows that differ from its events
 */
public record AuditVerification(boolean verified, long checkedEvents,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Long firstBrokenGlobalIndex,
                                String headHash, List<ReadModelCheck> readModels) {
    static AuditVerification of(AuditChain.Verification chain, List<ReadModelCheck> readModels) {
        return new AuditVerification(chain.verified() && readModels.stream().allMatch(ReadModelCheck::verified),
                chain.checkedEvents(), chain.firstBrokenGlobalIndex(), chain.headHash(), readModels);
    }
}
