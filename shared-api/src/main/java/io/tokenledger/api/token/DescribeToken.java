package io.tokenledger.api.token;

import io.tokenledger.api.Actor;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Changes an active permanent token's description and tags ({@link TokenLabels}); the actor must be an admin or the
 * token's owner. A null {@code description} or {@code tags} leaves that one as it is; a blank description and an
 * empty list clear them.
 */
public record DescribeToken(@TargetAggregateIdentifier TokenId tokenId, Actor actor, String description,
                            List<String> tags) {
}
