package io.tokenledger.command.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenledger.api.token.RecordTokenUse;
import io.tokenledger.api.token.TokenId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Records token use without slowing requests down: at most one RecordTokenUse per token per interval
 * leaves this instance, sent without waiting; the aggregate enforces the interval across instances.
 */
@Component
public class TokenUsageRecorder {
    private static final Logger log = LoggerFactory.getLogger(TokenUsageRecorder.class);

    private final CommandGateway commands;
    private final Clock clock;
    private final Duration interval;
    private final Cache<TokenId, Instant> lastSent;

    TokenUsageRecorder(CommandGateway commands, Clock clock,
                       @Value("${tokenledger.usage.record-interval:5m}") Duration interval) {
        this.commands = commands;
        this.clock = clock;
        this.interval = interval;
        this.lastSent = Caffeine.newBuilder().expireAfterWrite(interval).maximumSize(200_000).build();
    }

    /** Notes that the token authenticated a request from the client address. */
    public void record(TokenId tokenId, String clientIp) {
        Instant now = clock.instant();
        if (lastSent.asMap().putIfAbsent(tokenId, now) != null) {
            return;
        }
        commands.send(new RecordTokenUse(tokenId, now, clientIp, interval)).exceptionally(e -> {
            log.debug("Could not record use of token {}: {}", tokenId, e.toString());
            return null;
        });
    }
}
