package io.tokenledger.api.audit;

/**
 * Metadata keys every command and event carries, saying who did it and from where. Commands get them at
 * dispatch from the authenticated request; events inherit them from the message they were handled in.
 * Axon's own {@code correlationId} and {@code traceId} are kept beside them.
 */
public final class AuditMetadata {
    /** Id of the acting user, or {@link #SYSTEM} or {@link #ANONYMOUS}. */
    public static final String ACTOR_ID = "actorId";
    /** Username of the acting user, or {@link #SYSTEM}. */
    public static final String ACTOR_USERNAME = "actorUsername";
    /** Role of the acting user, or {@link #SYSTEM}. */
    public static final String ACTOR_ROLE = "actorRole";
    /** The client's address as the server saw it. */
    public static final String CLIENT_IP = "clientIp";
    /** The client's User-Agent header, shortened. */
    public static final String USER_AGENT = "userAgent";
    /** The id of the HTTP request (its {@code X-Request-Id} header, or one made up for it). */
    public static final String REQUEST_ID = "requestId";
    /** For system-triggered messages: the deadline that triggered them. */
    public static final String DEADLINE = "deadline";
    /** Axon's correlation id: the id of the message that caused this one. */
    public static final String CORRELATION_ID = "correlationId";
    /** Axon's trace id: the id of the first message of the chain. */
    public static final String TRACE_ID = "traceId";
    /** Actor of what the system does by itself. */
    public static final String SYSTEM = "system";
    /** Actor of what an unauthenticated client tried (a failed login, a refused token). */
    public static final String ANONYMOUS = "anonymous";

    private AuditMetadata() {
    }
}
