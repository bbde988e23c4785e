package io.tokenledger.query.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.app.IntegrationTest;
import io.tokenledger.query.QueryProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Recording a token's last use: noted in memory, written by the flush in one upsert that only moves a last use
 * forward, kept for the next flush when the database cannot take it, and written on shutdown. Each recorder here is
 * its own, beside the application's, on the same database.
 */
class TokenUsageRecorderTest extends IntegrationTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcTemplate jdbc;

    private TokenUsageRecorder recorder(DataSource to) {
        return recorder(to, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private TokenUsageRecorder recorder(DataSource to, Clock clock) {
        return new TokenUsageRecorder(new JdbcTemplate(to), clock,
                new QueryProperties(new QueryProperties.Session(Duration.ofHours(12), Duration.ofMinutes(30), false),
                        new QueryProperties.Usage(Duration.ofMinutes(5), Duration.ofHours(1)),
                        new QueryProperties.AuthCache(100, Duration.ofMinutes(1)), new QueryProperties.Stream(5, Duration.ofSeconds(15))));
    }

    private Map<String, Object> usage(TokenId token) {
        return jdbc.queryForList("SELECT last_used_at, last_used_ip FROM token_usage WHERE token_id = ?", token.value())
                .stream().findFirst().orElse(null);
    }

    @Test
    void aUseIsNotedOncePerIntervalAndOnlyMovesTheLastUseForward() {
        TokenUsageRecorder recorder = recorder(dataSource);
        TokenId used = TokenId.random();
        TokenId usedLater = TokenId.random();
        jdbc.update("INSERT INTO token_usage VALUES (?, ?, '192.0.2.9')", usedLater.value(),
                Timestamp.from(NOW.plusSeconds(60)));

        recorder.record(used, TokenKind.PERMANENT, "192.0.2.1");
        recorder.record(used, TokenKind.PERMANENT, "192.0.2.2");
        recorder.record(usedLater, TokenKind.PERMANENT, "192.0.2.3");
        assertThat(usage(used)).as("nothing written before the flush").isNull();
        assertThat(recorder.flush()).isEqualTo(2);

        assertThat(usage(used)).containsEntry("last_used_ip", "192.0.2.1");
        assertThat(((Timestamp) usage(used).get("last_used_at")).toInstant()).isEqualTo(NOW);
        assertThat(usage(usedLater)).as("a later use another instance wrote").containsEntry("last_used_ip", "192.0.2.9");
        recorder.record(used, TokenKind.PERMANENT, "192.0.2.4");
        assertThat(recorder.flush()).as("within the interval").isZero();
    }

    @Test
    void aFlushTheDatabaseCannotTakeKeepsItsUsesForTheNext() {
        DelegatingDataSource switchable = new DelegatingDataSource(
                new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/nowhere"));
        TokenUsageRecorder recorder = recorder(switchable);
        TokenId token = TokenId.random();

        recorder.record(token, TokenKind.PERMANENT, "192.0.2.5");
        assertThatThrownBy(recorder::flush).isInstanceOf(DataAccessException.class);
        switchable.setTargetDataSource(dataSource);
        assertThat(recorder.flush()).isOne();
        assertThat(usage(token)).containsEntry("last_used_ip", "192.0.2.5");
    }

    @Test
    void whatIsNotedIsWrittenOnShutdown() {
        TokenUsageRecorder recorder = recorder(dataSource);
        recorder.start();
        TokenId token = TokenId.random();
        recorder.record(token, TokenKind.PERMANENT, "192.0.2.6");
        recorder.stop();
        assertThat(recorder.isRunning()).isFalse();
        assertThat(usage(token)).containsEntry("last_used_ip", "192.0.2.6");
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now = NOW;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private java.util.List<Map<String, Object>> addresses(TokenId token) {
        return jdbc.queryForList("""
                SELECT ip, user_agent, client, first_seen_at, last_seen_at, use_count FROM token_address
                WHERE token_id = ? ORDER BY last_seen_at DESC, ip""", token.value());
    }

    @Test
    void everyUseIsCountedAgainstItsAddressAndAKnownAddressIsWrittenOncePerInterval() {
        MovingClock clock = new MovingClock();
        TokenUsageRecorder recorder = recorder(dataSource, clock);
        TokenId token = TokenId.random();
        for (int i = 0; i < 3; i++) {
            recorder.record(token, TokenKind.PERMANENT, "192.0.2.10", "curl/8.5", null);
        }
        recorder.record(token, TokenKind.PERMANENT, "192.0.2.10", "curl/8.5", "billing-api");
        recorder.flush();
        assertThat(addresses(token)).extracting(a -> a.get("client") + "/" + a.get("use_count"))
                .containsExactlyInAnyOrder("/3", "billing-api/1");

        clock.advance(Duration.ofMinutes(1));
        recorder.record(token, TokenKind.PERMANENT, "192.0.2.10", "curl/8.5", null);
        recorder.record(token, TokenKind.PERMANENT, "192.0.2.10", "curl/8.5", null);
        recorder.flush();
        assertThat(addresses(token)).as("a known address waits for the interval")
                .extracting(a -> a.get("client") + "/" + a.get("use_count"))
                .containsExactlyInAnyOrder("/3", "billing-api/1");

        clock.advance(Duration.ofMinutes(5));
        recorder.flush();
        Map<String, Object> counted = addresses(token).stream().filter(a -> "".equals(a.get("client")))
                .findFirst().orElseThrow();
        assertThat(counted.get("use_count")).isEqualTo(5L);
        assertThat(((Timestamp) counted.get("first_seen_at")).toInstant()).isEqualTo(NOW);
        assertThat(((Timestamp) counted.get("last_seen_at")).toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
    }

    @Test
    void aUserAgentIsStoredCutToLengthAndPrintableOnly() {
        TokenUsageRecorder recorder = recorder(dataSource);
        TokenId token = TokenId.random();
        recorder.record(token, TokenKind.PERMANENT, "192.0.2.11", "evil\u0007agent\u202e" + "x".repeat(300), null);
        recorder.flush();
        String stored = (String) addresses(token).get(0).get("user_agent");
        assertThat(stored).hasSize(TokenUsageRecorder.MAX_USER_AGENT).startsWith("evil?agent?xxx");
    }

    @Test
    void aTokenKeepsItsTwentyMostRecentAddresses() {
        MovingClock clock = new MovingClock();
        TokenUsageRecorder recorder = recorder(dataSource, clock);
        TokenId token = TokenId.random();
        for (int i = 1; i <= 25; i++) {
            clock.advance(Duration.ofSeconds(1));
            recorder.record(token, TokenKind.PERMANENT, "192.0.2." + i, "agent", null);
        }
        recorder.flush();
        // Told to the token (or found unknown) by the command side; until then none is dropped.
        jdbc.update("UPDATE token_address SET announced = true WHERE token_id = ?", token.value());
        clock.advance(Duration.ofSeconds(1));
        recorder.record(token, TokenKind.PERMANENT, "198.51.100.1", "agent", null);
        recorder.flush();
        assertThat(addresses(token)).hasSize(TokenUsageRecorder.ADDRESSES_KEPT)
                .extracting(a -> a.get("ip")).first().isEqualTo("198.51.100.1");
        assertThat(addresses(token)).extracting(a -> a.get("ip")).doesNotContain("192.0.2.1", "192.0.2.6")
                .contains("192.0.2.7", "192.0.2.25");
    }
}
