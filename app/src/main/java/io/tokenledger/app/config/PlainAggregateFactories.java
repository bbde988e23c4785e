package io.tokenledger.app.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.spring.stereotype.Aggregate;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Every {@link Aggregate} is created with its no-argument constructor when it is loaded, not as a Spring prototype
 * bean. Axon's Spring support otherwise registers a {@code SpringPrototypeAggregateFactory}, which runs the whole
 * bean-creation machinery (autowiring, every post-processor) each time a revoke, a rotation or a warning's firing
 * loads its token: 5.5 % of a firing's application samples ({@code bench/run --only=deadlines --jfr}). No aggregate
 * here has anything injected into it: what a handler needs comes as a handler parameter.
 *
 * <p>Axon uses a bean named {@code <aggregate>AggregateFactory} where one is defined, and defines its own only
 * where none is; this registers one for each aggregate the context holds, before Axon looks.
 */
final class PlainAggregateFactories implements BeanDefinitionRegistryPostProcessor {

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        for (String name : registry.getBeanDefinitionNames()) {
            if (!(registry.getBeanDefinition(name) instanceof AnnotatedBeanDefinition definition)
                    || !definition.getMetadata().hasAnnotation(Aggregate.class.getName())) {
                continue;
            }
            Class<?> type = ClassUtils.resolveClassName(definition.getMetadata().getClassName(),
                    PlainAggregateFactories.class.getClassLoader());
            String simple = type.getSimpleName();
            String factory = Character.toLowerCase(simple.charAt(0)) + simple.substring(1) + "AggregateFactory";
            if (!registry.containsBeanDefinition(factory)) {
                registry.registerBeanDefinition(factory, BeanDefinitionBuilder
                        .genericBeanDefinition(Constructed.class)
                        .addConstructorArgValue(type)
                        .getBeanDefinition());
            }
        }
    }

    /** Creates an aggregate with its no-argument constructor, before its events are applied. */
    static final class Constructed<T> implements AggregateFactory<T> {
        private final Class<T> type;
        private final Constructor<T> constructor;

        Constructed(Class<T> type) throws NoSuchMethodException {
            this.type = type;
            this.constructor = type.getDeclaredConstructor();
            this.constructor.setAccessible(true);
        }

        @Override
        public T createAggregateRoot(String aggregateIdentifier, DomainEventMessage<?> firstEvent) {
            if (type.equals(firstEvent.getPayloadType())) {
                // a snapshot: the aggregate as it was (none is taken here, but one read back stays readable)
                return type.cast(firstEvent.getPayload());
            }
            try {
                return constructor.newInstance();
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot construct " + type.getName(), e);
            }
        }

        @Override
        public Class<T> getAggregateType() {
            return type;
        }
    }
}
