package io.tokenledger.api.token;

import io.tokenledger.api.user.UserId;
import java.time.Instant;
import java.util.List;

/** A permanent token's description and tags are now these (null description: none; tags empty: none). */
public record TokenDescribed(TokenId tokenId, UserId ownerId, String description, List<String> tags,
                             UserId describedBy, Instant describedAt) {

    public TokenDescribed {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
