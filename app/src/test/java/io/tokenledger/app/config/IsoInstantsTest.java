package io.tokenledger.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Axon's mapper reads every instant to what the JSR-310 module alone reads, and refuses what it refuses. */
class IsoInstantsTest {
    private final ObjectMapper axon = new AxonConfig().axonObjectMapper();
    private final ObjectMapper plain = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    record At(Instant at) {
    }

    record Formatted(@JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd HH:mm", timezone = "UTC")
                     Instant at) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-03T15:37:29Z", "2026-12-03T15:37:29.1Z", "2026-12-03T15:37:29.123Z",
            "2026-12-03T15:37:29.123456Z", "2026-12-03T15:37:29.123456789Z", "2026-12-03T15:37:29.000Z",
            "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "2026-12-03t15:37:29z", "2026-12-03T15:37:29+01:00",
            "2026-12-03T15:37:29.123+00:00", "2026-12-03T15:37:29.Z", " 2026-12-03T15:37:29Z", "1764776249",
            "1764776249.5", "+12026-12-03T15:37:29Z", "2026-12-03T24:00:00Z", "2026-12-31T23:59:60Z"})
    void readsWhatTheModuleReads(String text) throws Exception {
        String json = "{\"at\":\"" + text + "\"}";
        assertThat(axon.readValue(json, At.class)).isEqualTo(plain.readValue(json, At.class));
        String number = "{\"at\":1764776249.5}";
        assertThat(axon.readValue(number, At.class)).isEqualTo(plain.readValue(number, At.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-32T00:00:00Z",
            "2026-12-03T23:60:00Z", "2026-12-03T23:59:61Z", "2026-12-03T15:37:29.1234567890Z",
            "2026-12-0xT15:37:29Z", "yesterday"})
    void refusesWhatTheModuleRefuses(String text) {
        String json = "{\"at\":\"" + text + "\"}";
        assertThatThrownBy(() -> plain.readValue(json, At.class)).isNotNull();
        assertThatThrownBy(() -> axon.readValue(json, At.class)).isNotNull();
    }

    @Test
    void agreesOnRandomInstants() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, random.nextInt(9)));
            String json = axon.writeValueAsString(new At(at));
            assertThat(axon.readValue(json, At.class)).as(json).isEqualTo(plain.readValue(json, At.class))
                    .isEqualTo(new At(at));
        }
    }

    @Test
    void leavesAPropertyWithItsOwnFormatToTheModule() throws Exception {
        String json = "{\"at\":\"2026-12-03 15:37\"}";
        assertThat(axon.readValue(json, Formatted.class)).isEqualTo(plain.readValue(json, Formatted.class));
        String iso = "{\"at\":\"2026-12-03T15:37:29Z\"}";
        assertThatThrownBy(() -> plain.readValue(iso, Formatted.class)).isNotNull();
        assertThatThrownBy(() -> axon.readValue(iso, Formatted.class)).isNotNull();
    }
}
