package io.tokenledger.query.audit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import io.tokenledger.api.audit.AuditMetadata;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

/** Turns event messages into {@link AuditEvent}s: ids flattened, secrets and password hashes left out. */
@Component
public class AuditEvents {
    /** Payload fields never shown: a token's hash and a user's password hash. */
    static final Set<String> WITHHELD = Set.of("hash", "passwordHash");

    private final ObjectMapper json;

    public AuditEvents(ObjectMapper json) {
        this.json = json;
    }

    /** The audit view of a message at a known global position. */
    public AuditEvent of(EventMessage<?> message, Long globalIndex) {
        Long sequence = null;
        String aggregateId = null;
        if (message instanceof DomainEventMessage<?> domain && domain.getType() != null) {
            sequence = domain.getSequenceNumber();
            aggregateId = domain.getAggregateIdentifier();
        }
        MetaData meta = message.getMetaData();
        String actorId = text(meta, AuditMetadata.ACTOR_ID);
        AuditEvent.Actor actor = actorId == null ? null : new AuditEvent.Actor(actorId,
                text(meta, AuditMetadata.ACTOR_USERNAME), text(meta, AuditMetadata.ACTOR_ROLE));
        return new AuditEvent(sequence, globalIndex, aggregateId, message.getPayloadType().getSimpleName(),
                message.getTimestamp(), payload(message.getPayload()), actor, text(meta, AuditMetadata.CLIENT_IP),
                text(meta, AuditMetadata.USER_AGENT), text(meta, AuditMetadata.REQUEST_ID),
                text(meta, AuditMetadata.CORRELATION_ID), text(meta, AuditMetadata.TRACE_ID),
                text(meta, AuditMetadata.DEADLINE));
    }

    /** The payload as JSON without withheld fields, ids written as plain strings. */
    public JsonNode payload(Object payload) {
        JsonNode tree = json.valueToTree(payload);
        if (tree instanceof ObjectNode object) {
            WITHHELD.forEach(object::remove);
            flattenValues(object);
        }
        return tree;
    }

    /** Value types such as {@code TokenId} serialise as {@code {"value": …}}; show them as their value. */
    private static void flattenValues(ObjectNode object) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value instanceof ObjectNode nested) {
                if (nested.size() == 1 && nested.has("value")) {
                    field.setValue(nested.get("value"));
                } else {
                    flattenValues(nested);
                }
            }
        }
    }

    private static String text(MetaData meta, String key) {
        Object value = meta.get(key);
        return value == null ? null : value.toString();
    }
}
