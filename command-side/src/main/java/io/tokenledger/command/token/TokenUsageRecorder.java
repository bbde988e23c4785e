package io.tokenledger.command.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenledger.api.token.RecordTokenUse;
import io.tokenledger.api.token.TokenId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records token use without slowing requests down: at most one RecordTokenUse per token per interval
 * leaves this instance, sent without waiting; the aggregate enforces the interval across instances. An instance
 * without the command role has no handler for it, so it leaves the use in {@code token_use_relay} for one with
 * the role to send ({@link TokenUseRelay}).
 */
@Component
public class TokenUsageRecorder {
    private static final Logger log = LoggerFactory.getLogger(TokenUsageRecorder.class);

    private final CommandGateway commands;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration interval;
    private final boolean handledHere;
    private final Cache<TokenId, Instant> lastSent;

    TokenUsageRecorder(CommandGateway commands, JdbcTemplate jdbc, Clock clock,
                       @Value("${tokenledger.usage.record-interval:5m}") Duration interval,
                       @Value("${tokenledger.roles:command,query,notifier}") String roles) {
        this.commands = commands;
        this.jdbc = jdbc;
        this.clock = clock;
        this.interval = interval;
        this.handledHere = roles.toLowerCase().contains("command");
        this.lastSent = Caffeine.newBuilder().expireAfterWrite(interval).maximumSize(200_000).build();
    }

    /** Notes that the token authenticated a request from the client address. */
    public void record(TokenId tokenId, String clientIp) {
        Instant now = clock.instant();
        if (lastSent.asMap().putIfAbsent(tokenId, now) != null) {
            return;
        }
        if (!handledHere) {
            try {
                jdbc.update("""
                        INSERT INTO token_use_relay (token_id, used_at, client_ip) VALUES (?, ?, ?)
                        ON CONFLICT (token_id) DO UPDATE SET used_at = excluded.used_at, client_ip = excluded.client_ip
                        WHERE token_use_relay.used_at < excluded.used_at""",
                        tokenId.value(), Timestamp.from(now), clientIp);
            } catch (DataAccessException e) {
                log.debug("Could not leave the use of token {} for recording: {}", tokenId, e.toString());
            }
            return;
        }
        send(tokenId, now, clientIp);
    }

    /** Sends the use to the token, without waiting. */
    void send(TokenId tokenId, Instant usedAt, String clientIp) {
        commands.send(new RecordTokenUse(tokenId, usedAt, clientIp, interval)).exceptionally(e -> {
            log.debug("Could not record use of token {}: {}", tokenId, e.toString());
            return null;
        });
    }
}
