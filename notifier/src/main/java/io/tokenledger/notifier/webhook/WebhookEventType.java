package io.tokenledger.notifier.webhook;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of webhook event types, as endpoints subscribe to them and as the {@code type} of a delivery's
 * body names them. Each is queued by one handler of {@link WebhookQueue}; an event type of the product joins by a
 * constant here and a handler there.
 */
public enum WebhookEventType {
    /** A permanent token was created (also the new token of a rotation, with {@code rotatedFrom}). */
    TOKEN_CREATED("token.created"),
    /**
     * A permanent token was rotated: {@code replacedBy} names the new one; its revocation follows, or with a grace
     * period {@code graceEndsAt} says until when it keeps working.
     */
    TOKEN_ROTATED("token.rotated"),
    /** A permanent token was revoked, with {@code reason}. */
    TOKEN_REVOKED("token.revoked"),
    /** A permanent token reached its expiry. */
    TOKEN_EXPIRED("token.expired"),
    /** A permanent token is {@code daysBefore} days from expiry: the warnings that raise expiry faults. */
    TOKEN_EXPIRY_APPROACHING("token.expiry_approaching"),
    /**
     * A token was reported leaked by a secret scanner (its revocation, reason {@code REPORTED_LEAKED}, came first as
     * {@code token.revoked}), with the report's {@code source}.
     */
    TOKEN_LEAKED("token.leaked"),
    /**
     * A token rotated with a grace period was used after its successor had been used ({@code supersededBy},
     * {@code graceEndsAt}, {@code detectedAt}); once per token, and the token is not revoked for it.
     */
    TOKEN_REUSED_AFTER_ROTATION("token.reused_after_rotation"),
    /** A user was disabled (their tokens' revocations follow as {@code token.revoked}). */
    USER_DISABLED("user.disabled"),
    /** A client (resource server) was registered. */
    CLIENT_CREATED("client.created"),
    /** A client was disabled: its secret no longer authenticates. */
    CLIENT_DISABLED("client.disabled");

    /** The type of a test ping; not subscribable, sent only when an admin asks for it. */
    public static final String TEST = "webhook.test";
    /** What an endpoint subscribes to for every type. */
    public static final String ALL = "*";

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name in subscriptions and bodies, e.g. {@code token.revoked}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEventType> of(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
