package io.tokenledger.query.replay;

import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.ParameterResolver;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Resolves the {@link ProjectionWrites} parameter of a projection's event handlers: the live tables, in the
 * caller's transaction, unless the handler is called by a rebuild, which binds its batch into the twin tables
 * for the duration of the call ({@link #rebuild}). Axon's Spring configuration adds every
 * {@link ParameterResolverFactory} bean to the one its processors build their handlers with; the rebuild builds
 * its handler adapters with that same factory, so both call the same methods with the same arguments.
 */
@Component
public class ProjectionWritesResolver implements ParameterResolverFactory {
    /** Set only on a rebuild's thread while it dispatches one event; no other thread ever sees it. */
    private static final ThreadLocal<ProjectionWrites> REBUILDING = new ThreadLocal<>();

    private final ProjectionWrites live;
    private final ParameterResolver<ProjectionWrites> resolver = new ParameterResolver<>() {
        @Override
        public ProjectionWrites resolveParameterValue(Message<?> message) {
            ProjectionWrites batch = REBUILDING.get();
            return batch != null ? batch : live;
        }

        @Override
        public boolean matches(Message<?> message) {
            return true;
        }
    };

    ProjectionWritesResolver(JdbcTemplate jdbc) {
        this.live = ProjectionWrites.live(jdbc);
    }

    @Override
    public ParameterResolver<?> createInstance(Executable executable, Parameter[] parameters, int index) {
        return parameters[index].getType() == ProjectionWrites.class ? resolver : null;
    }

    /** Calls the handlers of one event with the batch as their {@link ProjectionWrites}. */
    static void rebuild(AnnotationEventHandlerAdapter handlers, EventMessage<?> event, ReplayBatch batch) {
        REBUILDING.set(batch);
        try {
            handlers.handle(event);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            REBUILDING.remove();
        }
    }
}
