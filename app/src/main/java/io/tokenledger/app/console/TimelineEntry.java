package io.tokenledger.app.console;

import tools.jackson.databind.JsonNode;
import io.tokenledger.query.audit.AuditEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event of a token's history as the timeline shows it: a title made from the event's type ("Token
 * revoked"), one line that says what changed, who did it from where, and every field of the event.
 *
 * @param tone     the colour of its mark: created, used, warning, ended or other
 * @param linkedId a token this event points to (the one that replaced it, or the one it replaced), or null
 */
public record TimelineEntry(AuditEvent event, String title, String summary, String tone, String linkedId,
                     Map<String, String> fields) {

    static TimelineEntry of(AuditEvent event, Display display) {
        JsonNode p = event.payload();
        String summary;
        String tone;
        String linked = null;
        switch (event.type()) {
            case "PermanentTokenCreated" -> {
                tone = "created";
                summary = "Named \u201c" + text(p, "name") + "\u201d, expires " + display.date(instant(p, "expiresAt"));
                linked = text(p, "rotatedFrom");
                if (linked != null) {
                    summary += "; replaces an earlier token";
                }
            }
            case "TemporaryTokenIssued" -> {
                tone = "created";
                summary = "Issued at login, valid until " + display.time(instant(p, "expiresAt"));
            }
            case "TokenUsed" -> { // stored by versions that recorded uses as events
                tone = "used";
                summary = "Used on the API" + (text(p, "clientIp") == null ? "" : " from " + text(p, "clientIp"));
            }
            case "TokenUsedFromNewAddress" -> {
                tone = "used";
                String agent = text(p, "userAgent");
                String client = text(p, "client");
                summary = "First use from " + text(p, "ip")
                        + (agent == null || agent.isEmpty() ? "" : " (" + agent + ")")
                        + (client == null || client.isEmpty() ? "" : ", introspected by client " + client)
                        + (p.path("alert").asBoolean() ? "; alert raised" : "");
            }
            case "TokenInactivityApproaching" -> {
                tone = "warning";
                summary = "Inactivity warning: unused since " + display.date(instant(p, "unusedSince"))
                        + ", to be revoked " + display.date(instant(p, "revokeAt"));
            }
            case "TokenExpiryApproaching" -> {
                tone = "warning";
                summary = "Expiry warning: " + p.path("daysBefore").asInt() + " days before "
                        + display.date(instant(p, "expiresAt"));
            }
            case "TokenRotated" -> {
                tone = "other";
                Instant graceEndsAt = instant(p, "graceEndsAt");
                summary = graceEndsAt == null ? "Rotated: a new token replaces it"
                        : "Rotated: a new token replaces it; this one works until " + display.time(graceEndsAt);
                linked = text(p, "replacedBy");
            }
            case "RotatedTokenReused" -> {
                tone = "warning";
                summary = "Used after the token that replaces it had been used";
                linked = text(p, "supersededBy");
            }
            case "TokenRevoked" -> {
                tone = "ended";
                String reason = text(p, "reason");
                summary = reason == null || reason.isBlank() ? "Revoked" : "Revoked: " + reason;
                if (text(p, "jobId") != null) {
                    summary += " (bulk revoke job " + text(p, "jobId") + ")";
                }
            }
            case "TokenDescribed" -> {
                tone = "other";
                String description = text(p, "description");
                List<String> tags = new ArrayList<>();
                p.path("tags").forEach(tag -> tags.add(tag.asString()));
                summary = (description == null ? "No description" : "Description \u201c" + description + "\u201d")
                        + (tags.isEmpty() ? ", no tags" : ", tags " + String.join(" ", tags));
            }
            case "TokenExpired" -> {
                tone = "ended";
                summary = "Expired at " + display.time(instant(p, "expiredAt"));
            }
            default -> {
                tone = "other";
                summary = "";
            }
        }
        return new TimelineEntry(event, title(event.type()), summary, tone, linked, fields(p, display));
    }

    /** Who caused the event, as a person reads it: "admin (Admin)", or "System" with the deadline's name. */
    public String actor() {
        AuditEvent.Actor actor = event.actor();
        if (actor == null || "system".equals(actor.id())) {
            return event.deadline() == null ? "System" : "System (" + event.deadline() + ")";
        }
        String role = actor.role() == null ? "" : " (" + actor.role().charAt(0) + actor.role().substring(1).toLowerCase() + ")";
        return (actor.username() == null ? actor.id() : actor.username()) + role;
    }

    /** "TokenRevoked" → "Token revoked". */
    static String title(String type) {
        String words = type.replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase();
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static Map<String, String> fields(JsonNode payload, Display display) {
        Map<String, String> fields = new LinkedHashMap<>();
        payload.properties().forEach(field -> {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                return;
            }
            String shown = value.isValueNode() ? value.asString() : value.toString();
            if (field.getKey().endsWith("At") && value.isString()) {
                shown = display.time(instant(payload, field.getKey()));
            }
            fields.put(field.getKey(), shown);
        });
        return fields;
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static Instant instant(JsonNode payload, String field) {
        String value = text(payload, field);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
