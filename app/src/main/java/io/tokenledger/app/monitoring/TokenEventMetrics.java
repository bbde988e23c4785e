package io.tokenledger.app.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import java.util.Map;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitorCallback;

/**
 * Counts the token lifecycle as {@code tokenledger.token.events{event}}: created, rotated, revoked (a logout is a
 * revocation), expired, login (a session's temporary token issued) and expiry_warning. A monitor of the event store:
 * an event counts once its unit of work has committed, on the instance that stored it, so the instances' counters
 * add up to the store's. Every series is registered at 0 from the start.
 */
final class TokenEventMetrics implements MessageMonitor<Message<?>> {
    private static final Map<Class<?>, String> EVENTS = Map.of(
            PermanentTokenCreated.class, "created",
            TokenRotated.class, "rotated",
            TokenRevoked.class, "revoked",
            TokenExpired.class, "expired",
            TemporaryTokenIssued.class, "login",
            TokenExpiryApproaching.class, "expiry_warning");

    private final Map<Class<?>, Counter> counters;

    TokenEventMetrics(MeterRegistry registry) {
        this.counters = EVENTS.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> Counter.builder("tokenledger.token.events")
                        .description("Token lifecycle events stored: created, rotated, revoked, expired, login, "
                                + "expiry_warning")
                        .tag("event", e.getValue())
                        .register(registry)));
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Counter counter = counters.get(message.getPayloadType());
        if (counter == null) {
            return NoOpMessageMonitorCallback.INSTANCE;
        }
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                counter.increment();
            }

            @Override
            public void reportFailure(Throwable cause) {
                // rolled back: never stored
            }

            @Override
            public void reportIgnored() {
                // an event store ignores no event
            }
        };
    }
}
