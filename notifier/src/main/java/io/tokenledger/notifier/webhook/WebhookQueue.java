package io.tokenledger.notifier.webhook;

import io.tokenledger.api.client.ClientDisabled;
import io.tokenledger.api.client.ClientRegistered;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.RotatedTokenReused;
import io.tokenledger.api.token.TokenLeakReported;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserRegistered;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns events into webhook deliveries, one per subscribed endpoint, queued in the outbox in the transaction of the
 * command that caused the event (a subscribing processor, {@value #GROUP}): an event stored is an event queued,
 * exactly once, and a projection that fails stores neither. It is never reset or replayed (it keeps no twin tables,
 * and {@link DisallowReplay} says so), and an endpoint is sent only events that happened after it was registered.
 * When no enabled endpoint takes an event's type, the event costs one indexed look-up of the endpoints and
 * nothing else. Payloads name the token (id, name, hint, owner, expiry, scopes) from this group's own directory
 * of permanent tokens and users; they never carry a secret or a hash. Temporary (login) tokens are not announced.
 * The deliveries themselves are sent after the commit by the webhook sender, on the instances with the notifier
 * role.
 */
@Component
@ProcessingGroup(WebhookQueue.GROUP)
@DisallowReplay
class WebhookQueue {
    static final String GROUP = "webhooks";

    private final JdbcTemplate jdbc;
    private final WebhookEndpoints endpoints;
    private final WebhookOutbox outbox;
    private final WebhookMessages messages;

    WebhookQueue(JdbcTemplate jdbc, WebhookEndpoints endpoints, WebhookOutbox outbox, WebhookMessages messages) {
        this.jdbc = jdbc;
        this.endpoints = endpoints;
        this.outbox = outbox;
        this.messages = messages;
    }

    /** A permanent token as payloads name it. */
    private record Token(UUID userId, String name, String hint, Instant expiresAt, List<String> scopes) {
    }

    @EventHandler
    void on(UserRegistered event) {
        jdbc.update("""
                INSERT INTO webhook_user (user_id, username) VALUES (?, ?)
                ON CONFLICT (user_id) DO UPDATE SET username = excluded.username""",
                event.userId().value(), event.username());
    }

    @EventHandler
    void on(PermanentTokenCreated event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO webhook_token (token_id, user_id, name, hint, expires_at, scopes)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (token_id) DO NOTHING""",
                event.tokenId().value(), event.ownerId().value(), event.name(), event.hint(),
                event.expiresAt() == null ? null : java.sql.Timestamp.from(event.expiresAt()),
                event.scopes().toArray(String[]::new));
        queue(WebhookEventType.TOKEN_CREATED, eventId, at, () -> token(event.tokenId()).map(data -> {
            data.put("createdAt", event.createdAt().toString());
            data.put("createdBy", event.createdBy() == null ? null : event.createdBy().toString());
            if (event.rotatedFrom() != null) {
                data.put("rotatedFrom", event.rotatedFrom().toString());
            }
            return data;
        }));
    }

    @EventHandler
    void on(TokenRotated event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        queue(WebhookEventType.TOKEN_ROTATED, eventId, at, () -> token(event.tokenId()).map(data -> {
            data.put("replacedBy", event.replacedBy().toString());
            data.put("rotatedBy", event.rotatedBy() == null ? null : event.rotatedBy().toString());
            if (event.graceEndsAt() != null) {
                data.put("graceEndsAt", event.graceEndsAt().toString());
            }
            return data;
        }));
    }

    @EventHandler
    void on(TokenRevoked event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        queue(WebhookEventType.TOKEN_REVOKED, eventId, at, () -> token(event.tokenId()).map(data -> {
            data.put("reason", event.reason());
            data.put("revokedAt", event.revokedAt().toString());
            data.put("revokedBy", event.revokedBy() == null ? null : event.revokedBy().toString());
            return data;
        }));
    }

    @EventHandler
    void on(TokenExpired event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        queue(WebhookEventType.TOKEN_EXPIRED, eventId, at, () -> token(event.tokenId()).map(data -> {
            data.put("expiredAt", event.expiredAt().toString());
            return data;
        }));
    }

    @EventHandler
    void on(TokenExpiryApproaching event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        queue(WebhookEventType.TOKEN_EXPIRY_APPROACHING, eventId, at, () -> {
            Map<String, Object> data = token(event.tokenId()).orElseGet(() -> {
                Map<String, Object> named = new LinkedHashMap<>();
                named.put("tokenId", event.tokenId().toString());
                named.put("name", event.name());
                named.put("hint", event.hint());
                named.put("userId", event.ownerId().toString());
                named.put("username", username(event.ownerId().value()));
                named.put("expiresAt", event.expiresAt().toString());
                return named;
            });
            data.put("daysBefore", event.daysBefore());
            return Optional.of(data);
        });
    }

    @EventHandler
    void on(UserDisabled event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        queue(WebhookEventType.USER_DISABLED, eventId, at, () -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("userId", event.userId().toString());
            data.put("username", username(event.userId().value()));
            return Optional.of(data);
        });
    }

    @EventHandler
    void on(TokenLeakReported event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        queue(WebhookEventType.TOKEN_LEAKED, eventId, at, () -> token(event.tokenId()).map(data -> {
            data.put("source", event.source());
            data.put("reportedAt", event.reportedAt().toString());
            return data;
        }));
    }

    @EventHandler
    void on(RotatedTokenReused event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        queue(WebhookEventType.TOKEN_REUSED_AFTER_ROTATION, eventId, at, () -> token(event.tokenId()).map(data -> {
            data.put("supersededBy", event.supersededBy().toString());
            data.put("graceEndsAt", event.graceEndsAt().toString());
            data.put("detectedAt", event.detectedAt().toString());
            return data;
        }));
    }

    @EventHandler
    void on(ClientRegistered event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO webhook_client (id, client_id, name) VALUES (?, ?, ?)
                ON CONFLICT (id) DO NOTHING""", event.id().value(), event.clientId(), event.name());
        queue(WebhookEventType.CLIENT_CREATED, eventId, at, () -> {
            Map<String, Object> data = client(event.id().value());
            data.put("registeredBy", event.registeredBy() == null ? null : event.registeredBy().toString());
            data.put("registeredAt", event.registeredAt().toString());
            return Optional.of(data);
        });
    }

    @EventHandler
    void on(ClientDisabled event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        queue(WebhookEventType.CLIENT_DISABLED, eventId, at, () -> {
            Map<String, Object> data = client(event.id().value());
            data.put("disabledBy", event.disabledBy() == null ? null : event.disabledBy().toString());
            data.put("disabledAt", event.disabledAt().toString());
            return Optional.of(data);
        });
    }

    /** A client as client.* payloads name it: its id, its public client id and name; never its secret or hash. */
    private Map<String, Object> client(UUID id) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", id.toString());
        jdbc.query("SELECT client_id, name FROM webhook_client WHERE id = ?", rs -> {
            data.put("clientId", rs.getString("client_id"));
            data.put("name", rs.getString("name"));
        }, id);
        return data;
    }

    /**
     * Queues the event for each endpoint that takes its type; its payload is read only when there is one (a
     * temporary token's events have none and are not announced).
     */
    private void queue(WebhookEventType type, String eventId, Instant at,
                       Supplier<Optional<Map<String, Object>>> payload) {
        var subscribers = endpoints.subscribers(type.wireName(), at);
        if (subscribers.isEmpty()) {
            return;
        }
        Optional<Map<String, Object>> data = payload.get();
        if (data.isEmpty()) {
            return;
        }
        String body = messages.body(type.wireName(), at, data.get());
        for (UUID endpoint : subscribers) {
            outbox.queue(endpoint, eventId, type.wireName(), body);
        }
    }

    /** The permanent token's fields as every token payload starts; empty for a temporary token. */
    private Optional<Map<String, Object>> token(TokenId tokenId) {
        return jdbc.query("SELECT * FROM webhook_token WHERE token_id = ?",
                (rs, row) -> new Token(rs.getObject("user_id", UUID.class), rs.getString("name"),
                        rs.getString("hint"), WebhookEndpoints.instant(rs, "expires_at"),
                        List.of((String[]) rs.getArray("scopes").getArray())),
                tokenId.value()).stream().findFirst().map(token -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("tokenId", tokenId.toString());
                    data.put("name", token.name());
                    data.put("hint", token.hint());
                    data.put("userId", token.userId().toString());
                    data.put("username", username(token.userId()));
                    data.put("expiresAt", token.expiresAt() == null ? null : token.expiresAt().toString());
                    data.put("scopes", token.scopes());
                    return data;
                });
    }

    private String username(UUID userId) {
        return jdbc.queryForList("SELECT username FROM webhook_user WHERE user_id = ?", String.class, userId)
                .stream().findFirst().orElse(null);
    }
}
