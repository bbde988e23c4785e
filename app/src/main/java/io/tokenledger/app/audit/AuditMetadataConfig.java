package io.tokenledger.app.audit;

import io.tokenledger.api.Actor;
import io.tokenledger.api.audit.AuditMetadata;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who did it, on every message. A command sent while handling another message inherits that message's
 * audit metadata; one sent from an HTTP request gets the authenticated user and the request's address, user
 * agent and id; anything else is the system's. Events inherit from the message they were applied in, an event
 * published through the event gateway (an operation without an aggregate) is stamped as such a command would be,
 * and a deadline, whoever planned it, fires as the system, naming itself.
 */
@Configuration(proxyBeanMethods = false)
public class AuditMetadataConfig {
    /** Keys copied from a message to everything sent or applied while handling it. */
    static final List<String> AUDIT_KEYS = List.of(AuditMetadata.ACTOR_ID, AuditMetadata.ACTOR_USERNAME,
            AuditMetadata.ACTOR_ROLE, AuditMetadata.CLIENT_IP, AuditMetadata.USER_AGENT, AuditMetadata.REQUEST_ID,
            AuditMetadata.DEADLINE);
    private static final int MAX_USER_AGENT = 200;

    /** Axon's correlation and trace ids; declared because any provider bean replaces the default one. */
    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    @Bean
    CorrelationDataProvider auditCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(AUDIT_KEYS.toArray(String[]::new));
    }

    /** Adds the audit metadata to a command that does not carry it yet. */
    public static MessageDispatchInterceptor<CommandMessage<?>> commandAuditMetadata() {
        return messages -> (index, command) -> command.getMetaData().containsKey(AuditMetadata.ACTOR_ID)
                ? command : command.andMetaData(inheritedOrFromRequest());
    }

    /**
     * Adds the audit metadata to an event published through the event gateway, an operation recorded without an
     * aggregate (a fault acknowledged, a replay started), as it would to a command sent at that point.
     */
    public static MessageDispatchInterceptor<EventMessage<?>> eventAuditMetadata() {
        return messages -> (index, event) -> event.getMetaData().containsKey(AuditMetadata.ACTOR_ID)
                ? event : event.andMetaData(inheritedOrFromRequest());
    }

    /** The audit metadata of the message being handled, if it has any, or else of the request or the system. */
    private static Map<String, ?> inheritedOrFromRequest() {
        if (CurrentUnitOfWork.isStarted()) {
            Map<String, ?> inherited = CurrentUnitOfWork.get().getCorrelationData();
            if (inherited.containsKey(AuditMetadata.ACTOR_ID)) {
                return inherited;
            }
        }
        return fromRequest();
    }

    /** Whoever planned a deadline, what it does when it fires is the system's doing. */
    public static MessageDispatchInterceptor<DeadlineMessage<?>> deadlineAuditMetadata() {
        return messages -> (index, deadline) -> {
            Map<String, Object> meta = new HashMap<>(deadline.getMetaData());
            AUDIT_KEYS.forEach(meta::remove);
            meta.putAll(system());
            meta.put(AuditMetadata.DEADLINE, deadline.getDeadlineName());
            return deadline.withMetaData(meta);
        };
    }

    /** The authenticated user and the request, or the system when there is neither. */
    static Map<String, String> fromRequest() {
        Map<String, String> meta = new HashMap<>();
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
            meta.putAll(actor(actor.userId().toString(), actor.username(), actor.role().name()));
        }
        meta.putAll(request());
        if (!meta.containsKey(AuditMetadata.ACTOR_ID) && !meta.containsKey(AuditMetadata.CLIENT_IP)) {
            meta.putAll(system());
        }
        return meta;
    }

    /**
     * The current HTTP request's client address, user agent (shortened) and request id; empty outside a request.
     * For a message that names its actor itself (a login, a security event) but still comes from a request.
     */
    public static Map<String, String> request() {
        Map<String, String> meta = new HashMap<>();
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            meta.put(AuditMetadata.CLIENT_IP, request.getRemoteAddr());
            String agent = request.getHeader("User-Agent");
            if (agent != null) {
                meta.put(AuditMetadata.USER_AGENT, agent.length() > MAX_USER_AGENT
                        ? agent.substring(0, MAX_USER_AGENT) : agent);
            }
            Object requestId = request.getAttribute(RequestIdFilter.ATTRIBUTE);
            if (requestId != null) {
                meta.put(AuditMetadata.REQUEST_ID, requestId.toString());
            }
        }
        return meta;
    }

    /** Audit metadata naming a user as the actor. */
    public static Map<String, String> actor(String id, String username, String role) {
        return Map.of(AuditMetadata.ACTOR_ID, id, AuditMetadata.ACTOR_USERNAME, username,
                AuditMetadata.ACTOR_ROLE, role);
    }

    /** Audit metadata naming an unauthenticated client as the actor. */
    public static Map<String, String> anonymous() {
        return actor(AuditMetadata.ANONYMOUS, AuditMetadata.ANONYMOUS, AuditMetadata.ANONYMOUS);
    }

    private static Map<String, String> system() {
        return actor(AuditMetadata.SYSTEM, AuditMetadata.SYSTEM, AuditMetadata.SYSTEM);
    }
}
