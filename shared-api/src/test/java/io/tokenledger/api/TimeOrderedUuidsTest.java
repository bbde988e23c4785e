package io.tokenledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.token.TokenId;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** New identities are UUID version 7: unique, the time of their making first, so later ones sort after. */
class TimeOrderedUuidsTest {

    @Test
    void newIdentitiesAreVersion7WithTheirTimeFirstAndUnique() {
        long before = System.currentTimeMillis();
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = TokenId.random().value();
            assertThat(seen.add(id)).isTrue();
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis());
        }
    }

    @Test
    void aLaterMillisecondSortsLaterAsTextAndKeepsTheRandomBits() {
        UUID earlier = TimeOrderedUuids.of(1_000, -1L, -1L);
        UUID later = TimeOrderedUuids.of(1_001, 0L, 0L);
        assertThat(earlier.toString()).isEqualTo("00000000-03e8-7fff-bfff-ffffffffffff");
        assertThat(later.toString()).isEqualTo("00000000-03e9-7000-8000-000000000000");
        assertThat(earlier.toString()).isLessThan(later.toString());
    }
}
