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
        return new TokenUsageRecorder(new JdbcTemplate(to), Clock.fixed(NOW, ZoneOffset.UTC),
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
}
