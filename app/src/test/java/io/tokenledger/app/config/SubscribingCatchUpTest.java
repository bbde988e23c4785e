package io.tokenledger.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.IntegrationTest;
import io.tokenledger.app.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A read model that an earlier release ran as a tracking processor, stopped short of the head, is caught up through
 * its own handlers when this release starts, and its stored position is then forgotten.
 */
class SubscribingCatchUpTest extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Serializer serializer;
    @Autowired
    SubscribingCatchUp catchUp;

    @Test
    void eventsAfterAStoredPositionAreHandledOnceAndThePositionIsForgotten() {
        String admin = adminToken();
        String owner = api.createUser(admin, unique("behind"), "USER", "a-long-password");
        long head = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
        String tokenId = api.post("/api/users/" + owner + "/tokens", admin, Map.of("name", "unprojected"))
                .json().get("id").asText();
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM token_view WHERE id = ?::uuid", tokenId);
        // as an earlier release would have left it: the token inventory had handled events up to head only
        jdbc.update("DELETE FROM token_view WHERE id = ?::uuid", tokenId);
        SerializedObject<byte[]> position = serializer.serialize(GapAwareTrackingToken.newInstance(head, List.of()),
                byte[].class);
        jdbc.update("INSERT INTO token_entry (processor_name, segment, token, token_type, timestamp) VALUES"
                        + " ('token-inventory', 0, ?, ?, ?)", position.getData(), position.getType().getName(),
                Instant.now().toString());
        long audited = jdbc.queryForObject("SELECT count(*) FROM audit_event", Long.class);

        catchUp.start();

        assertThat(Rows.comparable(jdbc.queryForMap("SELECT * FROM token_view WHERE id = ?::uuid", tokenId)))
                .isEqualTo(Rows.comparable(row));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_entry WHERE processor_name = 'token-inventory'",
                Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event", Long.class))
                .as("other read models, without a stored position, handled nothing").isEqualTo(audited);
        assertThat(api.get("/api/tokens/" + tokenId, admin).json().get("name").asText()).isEqualTo("unprojected");
    }
}
