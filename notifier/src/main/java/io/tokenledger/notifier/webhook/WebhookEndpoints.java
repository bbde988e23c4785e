package io.tokenledger.notifier.webhook;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PrintableText;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.webhook.WebhookEndpointChanged;
import io.tokenledger.api.webhook.WebhookEndpointDeleted;
import io.tokenledger.api.webhook.WebhookEndpointRegistered;
import io.tokenledger.api.webhook.WebhookSecretRotated;
import io.tokenledger.api.webhook.WebhookEndpointDisabled;
import io.tokenledger.notifier.TablePage;
import io.tokenledger.notifier.fault.Faults;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The registered webhook endpoints. Each change an administrator makes is stored with an event in the same
 * transaction (who, from where and when are in its audit metadata), so the audit log has it; the events never
 * carry a secret.
 */
@Component
public class WebhookEndpoints {
    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoints.class);
    /** Public sort fields and the SQL each sorts on. */
    static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "url", "url", "status", "status");
    private static final TablePage PAGE = new TablePage("webhook_endpoint", SORTABLE, "created_at DESC, id");
    private static final int MAX_DESCRIPTION = 500;

    private final NamedParameterJdbcTemplate jdbc;
    private final EventGateway events;
    private final SigningSecrets secrets;
    private final Destinations destinations;
    private final WebhookProperties properties;
    private final WebhookOutbox outbox;
    private final WebhookMessages messages;
    private final Faults faults;

    WebhookEndpoints(NamedParameterJdbcTemplate jdbc, EventGateway events, SigningSecrets secrets,
                     WebhookProperties properties, WebhookOutbox outbox, WebhookMessages messages, Faults faults) {
        this.jdbc = jdbc;
        this.events = events;
        this.secrets = secrets;
        this.properties = properties;
        this.outbox = outbox;
        this.messages = messages;
        this.faults = faults;
        this.destinations = Destinations.of(properties);
    }

    /** A registered endpoint and its secret's plaintext, shown this once. */
    public record Registered(UUID id, String url, List<String> events, String description, String secret,
                             WebhookStatus status, Instant createdAt) {
        /** Never the secret: the web layer logs what it writes at debug level. */
        @Override
        public String toString() {
            return "Registered[id=" + id + ", url=" + url + ", events=" + events + "]";
        }
    }

    /** A stored endpoint as the sender needs it. */
    record Endpoint(UUID id, String url, List<String> events, WebhookStatus status, byte[] secret,
                    byte[] previousSecret, Instant previousSecretUntil, Instant failingSince) {

        boolean subscribesTo(String type) {
            return events.contains(WebhookEventType.ALL) || events.contains(type);
        }
    }

    /** Registers an endpoint for the event types (or {@code *}), enabled; its secret is returned once. */
    @Transactional
    public Registered register(String url, List<String> eventTypes, String description, UserId by) {
        String checkedUrl = checkUrl(url);
        List<String> types = checkEvents(eventTypes);
        String text = checkDescription(description);
        UUID id = UUID.randomUUID();
        String secret = secrets.generate();
        jdbc.update("""
                INSERT INTO webhook_endpoint (id, url, events, description, status, secret, created_at, created_by,
                                              updated_at)
                VALUES (:id, :url, :events, :description, 'ENABLED', :secret, now(), :by, now())""",
                new MapSqlParameterSource("id", id).addValue("url", checkedUrl)
                        .addValue("events", String.join(" ", types)).addValue("description", text)
                        .addValue("secret", secrets.seal(id, secret)).addValue("by", by == null ? null : by.value()));
        events.publish(new WebhookEndpointRegistered(id, checkedUrl, types, text));
        WebhookView view = find(id).orElseThrow();
        return new Registered(id, view.url(), view.events(), view.description(), secret, view.status(),
                view.createdAt());
    }

    /**
     * Changes what is given (null: unchanged); enabling a disabled endpoint starts its failure count afresh and makes
     * its pending deliveries due at once.
     */
    @Transactional
    public WebhookView change(UUID id, String url, List<String> eventTypes, String description, Boolean enabled) {
        WebhookView before = lock(id);
        String newUrl = url == null ? before.url() : checkUrl(url);
        List<String> types = eventTypes == null ? before.events() : checkEvents(eventTypes);
        String text = description == null ? before.description() : checkDescription(description);
        boolean on = enabled == null ? before.status() == WebhookStatus.ENABLED : enabled;
        jdbc.update("""
                UPDATE webhook_endpoint SET url = :url, events = :events, description = :description,
                       status = :status, updated_at = now(),
                       failing_since = CASE WHEN :status = 'ENABLED' AND status = 'DISABLED' THEN NULL
                                            ELSE failing_since END,
                       disabled_reason = CASE WHEN :status = 'ENABLED' THEN NULL ELSE disabled_reason END
                WHERE id = :id""",
                new MapSqlParameterSource("id", id).addValue("url", newUrl).addValue("events", String.join(" ", types))
                        .addValue("description", text)
                        .addValue("status", (on ? WebhookStatus.ENABLED : WebhookStatus.DISABLED).name()));
        if (on && before.status() == WebhookStatus.DISABLED) {
            // what waited while it was disabled is due at once, not after the backoff it had reached
            jdbc.update("""
                    UPDATE webhook_delivery SET next_attempt_at = now()
                    WHERE endpoint_id = :id AND status = 'PENDING' AND next_attempt_at > now()""",
                    new MapSqlParameterSource("id", id));
        }
        WebhookView after = find(id).orElseThrow();
        if (!after.url().equals(before.url()) || !after.events().equals(before.events())
                || !java.util.Objects.equals(after.description(), before.description())
                || after.status() != before.status()) {
            events.publish(new WebhookEndpointChanged(id, after.url(), after.events(), after.description(), on));
        }
        return after;
    }

    /** Deletes the endpoint and its delivery log; what was not yet delivered is not. */
    @Transactional
    public void delete(UUID id) {
        WebhookView endpoint = lock(id);
        jdbc.update("DELETE FROM webhook_endpoint WHERE id = :id", new MapSqlParameterSource("id", id));
        events.publish(new WebhookEndpointDeleted(id, endpoint.url()));
    }

    /**
     * A new secret, returned once; the current one keeps signing beside it for {@code previous-secret-lifetime}.
     * A secret rotated out earlier stops signing at once: a delivery carries at most two signatures.
     */
    @Transactional
    public String rotateSecret(UUID id) {
        lock(id);
        String secret = secrets.generate();
        Instant until = Instant.now().plus(properties.previousSecretLifetime());
        jdbc.update("""
                UPDATE webhook_endpoint SET previous_secret = secret, previous_secret_until = :until,
                       secret = :secret, updated_at = now()
                WHERE id = :id""",
                new MapSqlParameterSource("id", id).addValue("secret", secrets.seal(id, secret))
                        .addValue("until", Timestamp.from(until)));
        events.publish(new WebhookSecretRotated(id, until));
        return secret;
    }

    /** Queues a {@code webhook.test} message for the endpoint, due at once; its delivery's id. */
    @Transactional
    public UUID test(UUID id, UserId by) {
        WebhookView endpoint = lock(id);
        if (endpoint.status() != WebhookStatus.ENABLED) {
            throw CommandRejected.conflict("webhook " + id + " is disabled: enable it to test it");
        }
        String eventId = UUID.randomUUID().toString();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhookId", id.toString());
        data.put("requestedBy", by == null ? null : by.toString());
        outbox.queue(id, eventId, WebhookEventType.TEST, messages.body(WebhookEventType.TEST, Instant.now(), data));
        return WebhookOutbox.id(id, eventId);
    }

    /** Queues the delivery again, due at once. */
    @Transactional
    public void redeliver(UUID id, UUID deliveryId) {
        lock(id);
        outbox.redeliver(id, deliveryId);
    }

    /** A page of the endpoint's delivery log. */
    public PageResult<DeliveryView> deliveries(UUID id, DeliveryStatus status, PageParams page) {
        find(id).orElseThrow(() -> CommandRejected.notFound("no webhook " + id));
        return outbox.list(id, status, page);
    }

    /** One delivery of the endpoint. */
    public Optional<DeliveryView> delivery(UUID id, UUID deliveryId) {
        return outbox.find(id, deliveryId);
    }

    /** An attempt succeeded: the endpoint is no longer failing. */
    void succeeded(UUID id) {
        jdbc.update("UPDATE webhook_endpoint SET failing_since = NULL WHERE id = :id AND failing_since IS NOT NULL",
                new MapSqlParameterSource("id", id));
    }

    /**
     * An attempt failed. Once the endpoint's attempts have all failed for {@code disable-after}, it is disabled, a
     * fault raised and a {@link WebhookEndpointDisabled} event stored, all at once; its pending deliveries wait for
     * an administrator to enable it again.
     */
    @Transactional
    public void failed(UUID id) {
        record Failing(Instant since, WebhookStatus status, String url, Instant now) {
        }
        Optional<Failing> failing = jdbc.query("""
                UPDATE webhook_endpoint SET failing_since = coalesce(failing_since, clock_timestamp())
                WHERE id = :id RETURNING failing_since, status, url, clock_timestamp() AS now""",
                new MapSqlParameterSource("id", id),
                (rs, row) -> new Failing(instant(rs, "failing_since"), WebhookStatus.valueOf(rs.getString("status")),
                        rs.getString("url"), instant(rs, "now"))).stream().findFirst();
        if (failing.isEmpty() || failing.get().status() != WebhookStatus.ENABLED
                || failing.get().since().plus(properties.disableAfter()).isAfter(failing.get().now())) {
            return;
        }
        Failing f = failing.get();
        int disabled = jdbc.update("""
                UPDATE webhook_endpoint SET status = 'DISABLED', disabled_reason = :reason, updated_at = now()
                WHERE id = :id AND status = 'ENABLED'""",
                new MapSqlParameterSource("id", id).addValue("reason", "every delivery failed since " + f.since()));
        if (disabled == 1) {
            faults.raiseWebhookDisabled(id, f.url(), f.since(), f.now());
            events.publish(new WebhookEndpointDisabled(id, f.url(), f.since()));
            log.warn("Webhook {} disabled: every delivery to {} failed since {}", id, f.url(), f.since());
        }
    }

    public Optional<WebhookView> find(UUID id) {
        return jdbc.query("SELECT * FROM webhook_endpoint WHERE id = :id", new MapSqlParameterSource("id", id),
                WebhookEndpoints::view).stream().findFirst();
    }

    /** A page of endpoints, newest first unless sorted by one of {@link #SORTABLE}. */
    public PageResult<WebhookView> list(PageParams page) {
        return PAGE.read(jdbc, new TablePage.Where(), page, WebhookEndpoints::view);
    }

    /** The enabled endpoints registered by {@code at} (an event's time) that subscribe to {@code type}. */
    List<UUID> subscribers(String type, Instant at) {
        List<UUID> ids = new ArrayList<>();
        jdbc.query("""
                SELECT id, events FROM webhook_endpoint WHERE status = 'ENABLED' AND created_at <= :at""",
                new MapSqlParameterSource("at", Timestamp.from(at)), rs -> {
                    List<String> subscribed = List.of(rs.getString("events").split(" "));
                    if (subscribed.contains(WebhookEventType.ALL) || subscribed.contains(type)) {
                        ids.add(rs.getObject("id", UUID.class));
                    }
                });
        return ids;
    }

    /** The endpoint with its sealed secrets, for a delivery. */
    Optional<Endpoint> endpoint(UUID id) {
        return jdbc.query("SELECT * FROM webhook_endpoint WHERE id = :id", new MapSqlParameterSource("id", id),
                (rs, row) -> new Endpoint(id, rs.getString("url"), events(rs),
                        WebhookStatus.valueOf(rs.getString("status")), rs.getBytes("secret"),
                        rs.getBytes("previous_secret"), instant(rs, "previous_secret_until"),
                        instant(rs, "failing_since")))
                .stream().findFirst();
    }

    /** The HMAC keys that sign a delivery now: the current secret's, and the previous one's while it still signs. */
    List<byte[]> signingKeys(Endpoint endpoint, Instant now) {
        List<byte[]> keys = new ArrayList<>(2);
        keys.add(secrets.signingKey(endpoint.id(), endpoint.secret()));
        if (endpoint.previousSecret() != null && endpoint.previousSecretUntil() != null
                && now.isBefore(endpoint.previousSecretUntil())) {
            keys.add(secrets.signingKey(endpoint.id(), endpoint.previousSecret()));
        }
        return keys;
    }

    /** The address rules applied before each delivery (SSRF). */
    Destinations destinations() {
        return destinations;
    }

    private WebhookView lock(UUID id) {
        return jdbc.query("SELECT * FROM webhook_endpoint WHERE id = :id FOR UPDATE",
                        new MapSqlParameterSource("id", id), WebhookEndpoints::view).stream().findFirst()
                .orElseThrow(() -> CommandRejected.notFound("no webhook " + id));
    }

    private String checkUrl(String url) {
        try {
            return destinations.check(url).toString();
        } catch (Destinations.Refused e) {
            throw CommandRejected.invalid("url", e.getMessage());
        }
    }

    /** Known event types, each once, in the order given; {@code *} alone means all. */
    static List<String> checkEvents(List<String> types) {
        if (types == null || types.isEmpty()) {
            throw CommandRejected.invalid("events", "name at least one event type, or \"*\" for all");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String type : types) {
            if (type == null || !(type.equals(WebhookEventType.ALL) || WebhookEventType.of(type).isPresent())) {
                throw CommandRejected.invalid("events", "unknown event type " + (type == null ? "null" : "'"
                        + (type.length() > 64 ? type.substring(0, 64) + "…" : type) + "'") + "; known: "
                        + Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).toList()
                        + " or \"*\"");
            }
            unique.add(type);
        }
        if (unique.contains(WebhookEventType.ALL) && unique.size() > 1) {
            throw CommandRejected.invalid("events", "\"*\" already means every event type: give it alone");
        }
        return List.copyOf(unique);
    }

    private static String checkDescription(String description) {
        if (description == null || description.isBlank()) {
            return null;
        }
        String text = description.strip();
        if (text.length() > MAX_DESCRIPTION) {
            throw CommandRejected.invalid("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (!PrintableText.isPrintable(text)) {
            throw CommandRejected.invalid("description", "must hold printable characters only");
        }
        return text;
    }

    private static List<String> events(ResultSet rs) throws SQLException {
        return List.of(rs.getString("events").split(" "));
    }

    private static WebhookView view(ResultSet rs, int row) throws SQLException {
        Instant previousUntil = instant(rs, "previous_secret_until");
        return new WebhookView(rs.getObject("id", UUID.class), rs.getString("url"), events(rs),
                rs.getString("description"), WebhookStatus.valueOf(rs.getString("status")),
                instant(rs, "created_at"), rs.getObject("created_by", UUID.class), instant(rs, "updated_at"),
                instant(rs, "failing_since"), rs.getString("disabled_reason"),
                previousUntil != null && previousUntil.isAfter(Instant.now()) ? previousUntil : null);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
