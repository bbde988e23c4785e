package io.tokenledger.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

class TimeOrderedIdentifiersTest {

    @Test
    void axonUsesThem() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedIdentifiers.class);
    }

    @Test
    void theyAreVersion7VariantRfcWithTheTimeFirstAndUnique() {
        long now = System.currentTimeMillis();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = IdentifierFactory.getInstance().generateIdentifier();
            assertThat(seen.add(id)).isTrue();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(now, System.currentTimeMillis());
        }
    }

    @Test
    void aLaterMillisecondSortsLater() {
        UUID earlier = TimeOrderedIdentifiers.next(1_000, ThreadLocalRandom.current());
        UUID later = TimeOrderedIdentifiers.next(1_001, ThreadLocalRandom.current());
        assertThat(earlier.toString()).isLessThan(later.toString());
        assertThat(earlier.toString()).startsWith("00000000-03e8-7");
    }
}
