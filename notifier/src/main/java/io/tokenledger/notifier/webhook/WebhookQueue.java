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
import io.tokenledger.notifier.NotifierRole;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns events into webhook deliveries, one per subscribed endpoint, queued in the outbox in the same transaction
 * that stores this processor's position: a tracking processor of its own ({@value #GROUP}, one segment), so an
 * event is queued once whatever happens to the read models, and at least once across crashes. It is never reset
 * or replayed ({@link DisallowReplay}), and an endpoint is sent only events that happened after it was registered,
 * so neither a rebuilt read model nor a processor catching up sends anything that was not news. Payloads name the
 * token (id, name, hint, owner, expiry) from this processor's own directory of permanent tokens and users, as it
 * was at that point of the stream; they never carry a secret or a hash. Temporary (login) tokens are not
 * announced.
 */
@NotifierRole
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
        Map<String, Object> data = token(event.tokenId()).orElseThrow();
        data.put("createdAt", event.createdAt().toString());
        data.put("createdBy", event.createdBy() == null ? null : event.createdBy().toString());
        if (event.rotatedFrom() != null) {
            data.put("rotatedFrom", event.rotatedFrom().toString());
        }
        queue(WebhookEventType.TOKEN_CREATED, eventId, at, data);
    }

    @EventHandler
    void on(TokenRotated event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        token(event.tokenId()).ifPresent(data -> {
            data.put("replacedBy", event.replacedBy().toString());
            data.put("rotatedBy", event.rotatedBy() == null ? null : event.rotatedBy().toString());
            if (event.graceEndsAt() != null) {
                data.put("graceEndsAt", event.graceEndsAt().toString());
            }
            queue(WebhookEventType.TOKEN_ROTATED, eventId, at, data);
        });
    }

    @EventHandler
    void on(TokenRevoked event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        token(event.tokenId()).ifPresent(data -> {
            data.put("reason", event.reason());
            data.put("revokedAt", event.revokedAt().toString());
            data.put("revokedBy", event.revokedBy() == null ? null : event.revokedBy().toString());
            queue(WebhookEventType.TOKEN_REVOKED, eventId, at, data);
        });
    }

    @EventHandler
    void on(TokenExpired event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        token(event.tokenId()).ifPresent(data -> {
            data.put("expiredAt", event.expiredAt().toString());
            queue(WebhookEventType.TOKEN_EXPIRED, eventId, at, data);
        });
    }

    @EventHandler
    void on(TokenExpiryApproaching event, @MessageIdentifier String eventId, @Timestamp Instant at) {
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
        queue(WebhookEventType.TOKEN_EXPIRY_APPROACHING, eventId, at, data);
    }

    @EventHandler
    void on(UserDisabled event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("userId", event.userId().toString());
        data.put("username", username(event.userId().value()));
        queue(WebhookEventType.USER_DISABLED, eventId, at, data);
    }

    @EventHandler
    void on(TokenLeakReported event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        token(event.tokenId()).ifPresent(data -> {
            data.put("source", event.source());
            data.put("reportedAt", event.reportedAt().toString());
            queue(WebhookEventType.TOKEN_LEAKED, eventId, at, data);
        });
    }

    @EventHandler
    void on(RotatedTokenReused event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        token(event.tokenId()).ifPresent(data -> {
            data.put("supersededBy", event.supersededBy().toString());
            data.put("graceEndsAt", event.graceEndsAt().toString());
            data.put("detectedAt", event.detectedAt().toString());
            queue(WebhookEventType.TOKEN_REUSED_AFTER_ROTATION, eventId, at, data);
        });
    }

    @EventHandler
    void on(ClientRegistered event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO webhook_client (id, client_id, name) VALUES (?, ?, ?)
                ON CONFLICT (id) DO NOTHING""", event.id().value(), event.clientId(), event.name());
        Map<String, Object> data = client(event.id().value());
        data.put("registeredBy", event.registeredBy() == null ? null : event.registeredBy().toString());
        data.put("registeredAt", event.registeredAt().toString());
        queue(WebhookEventType.CLIENT_CREATED, eventId, at, data);
    }

    @EventHandler
    void on(ClientDisabled event, @MessageIdentifier String eventId, @Timestamp Instant at) {
        Map<String, Object> data = client(event.id().value());
        data.put("disabledBy", event.disabledBy() == null ? null : event.disabledBy().toString());
        data.put("disabledAt", event.disabledAt().toString());
        queue(WebhookEventType.CLIENT_DISABLED, eventId, at, data);
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

    private void queue(WebhookEventType type, String eventId, Instant at, Map<String, Object> data) {
        var subscribers = endpoints.subscribers(type.wireName(), at);
        if (subscribers.isEmpty()) {
            return;
        }
        String body = messages.body(type.wireName(), at, data);
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
