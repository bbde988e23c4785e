package io.tokenledger.app.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.github.kagkarlsson.scheduler.Scheduler;
import io.tokenledger.app.audit.AuditMetadataConfig;
import io.tokenledger.command.CommandRole;
import io.tokenledger.query.live.LiveUpdates;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.deadline.DeadlineManagerSpanFactory;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.LoggingQueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryBusSpanFactory;
import org.axonframework.queryhandling.QueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Axon on PostgreSQL without Axon Server: JDBC event store and token store over Flyway's
 * snake_case tables with bytea columns; pooled streaming processors; a command gateway that retries
 * optimistic-locking conflicts.
 */
@Configuration(proxyBeanMethods = false)
class AxonConfig {

    /**
     * Event times to the millisecond: the event store keeps no more, and the read models written in the command's
     * own transaction see the event as it was published, so a time finer than the stored one would differ from what
     * a rebuild, a tracking processor or an audit reader reads back.
     */
    AxonConfig() {
        GenericEventMessage.clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }

    /** Aggregates are created with their constructor, not as Spring prototype beans. */
    @Bean
    static PlainAggregateFactories plainAggregateFactories() {
        return new PlainAggregateFactories();
    }

    /**
     * The Jackson 2 mapper of Axon's serializer (events, sagas, processor tokens, deadlines), configured as Spring
     * Boot 3's own mapper was, which Axon used until Boot 4 stopped providing a Jackson 2 one: instants as ISO-8601
     * text (Axon's fallback writes them as numbers), unknown properties ignored, the JDK 8, JSR-310 and
     * parameter-names modules. The stored form of an event is therefore the same as before the upgrade
     * ({@code UpgradeFromPreviousStoreTest} compares them byte for byte). Instants in the form they are written in
     * are read without the general date-time parser ({@link IsoInstants}).
     */
    @Bean("defaultAxonObjectMapper")
    ObjectMapper axonObjectMapper() {
        return JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .addModule(IsoInstants.module())
                .addModule(new ParameterNamesModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.DEFAULT_VIEW_INCLUSION)
                .build();
    }

    /**
     * Axon's units of work in the platform's (JDBC) transactions: a command, its event and every read model written
     * in its handlers commit together. Declared here because Axon's own auto-configuration looks for the platform
     * transaction manager before Spring Boot 4's JDBC auto-configuration (renamed since) has made it, and would
     * then run every statement of a command in a transaction of its own.
     */
    @Bean
    TransactionManager axonTransactionManager(PlatformTransactionManager transactions) {
        return new SpringTransactionManager(transactions);
    }

    @Bean
    ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    /**
     * Axon's query bus as its Spring Boot configuration builds it, but without running each query in a transaction:
     * every query handler here is one or two plain reads, so the BEGIN and COMMIT around them were two round trips
     * for nothing (a create-token's answer, say). A handler that needs one snapshot declares its own transaction.
     */
    @Bean
    @Qualifier("localSegment")
    SimpleQueryBus queryBus(org.axonframework.config.Configuration configuration) {
        return SimpleQueryBus.builder()
                .messageMonitor(configuration.messageMonitor(QueryBus.class, "queryBus"))
                .transactionManager(NoTransactionManager.instance())
                .errorHandler(configuration.getComponent(QueryInvocationErrorHandler.class,
                        () -> LoggingQueryInvocationErrorHandler.builder().build()))
                .queryUpdateEmitter(configuration.getComponent(QueryUpdateEmitter.class))
                .spanFactory(configuration.getComponent(QueryBusSpanFactory.class))
                .build();
    }

    /** The JDBC engine on Flyway's tables; its reads run without a transaction of their own (see the class). */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          PlatformTransactionManager transactions) {
        EventSchema schema = TokenLedgerEventStorageEngine.schema("domain_event_entry");
        return new TokenLedgerEventStorageEngine(TokenLedgerEventStorageEngine.builder(schema)
                .snapshotSerializer(defaultSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(new JdbcSQLErrorCodesResolver())
                .connectionProvider(connectionProvider)
                .batchSize(500), new TransactionTemplate(transactions));
    }

    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .claimTimeout(Duration.ofSeconds(10))
                // Axon names a claim's owner by process ("pid@host"); instances sharing one process (as in the
                // cluster test) must not take each other's claims for their own, so each start gets its own name.
                .nodeId(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString()
                        .substring(0, 8))
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }

    /**
     * The event store, polling the database for events other instances stored every {@code fetch-delay} (Axon's
     * default is a second) while its processors are at the head: that poll bounds how soon an instance sees, say,
     * a revocation made through another. Events stored by this instance wake its processors at once anyway.
     */
    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  TokenLedgerProperties properties) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(properties.eventStore().fetchDelay().toMillis())
                .build();
    }

    /**
     * Event processors. The read models are subscribing processors (application.yml): their handlers run in the
     * transaction of the command that published the events, which they join as it is
     * ({@link JoiningTransactionManager}). A handler that fails is never skipped: in a
     * subscribing processor its exception fails the command, in a tracking one the batch is retried (the default
     * logging handler would silently lose the event). Tracking processors read the event store directly, which
     * wakes them when this instance commits events and polls for other instances' every {@code fetch-delay}.
     * The live processor is each instance's own: its token is in memory, it starts at the head, and so it sees
     * every event stored from now on, on any instance.
     */
    @Bean
    ConfigurerModule eventProcessors() {
        return configurer -> configurer.eventProcessing()
                .usingPooledStreamingEventProcessors()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                .registerDefaultTransactionManager(c -> new JoiningTransactionManager(c.getComponent(
                        TransactionManager.class)))
                .registerTrackingEventProcessor(LiveUpdates.GROUP, org.axonframework.config.Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createHeadToken)
                                .andBatchSize(100))
                .registerTokenStore(LiveUpdates.GROUP, c -> new InMemoryTokenStore())
                .registerTransactionManager(LiveUpdates.GROUP, c -> NoTransactionManager.instance());
    }

    /** Deadlines in PostgreSQL through db-scheduler: persistent, and each fires on exactly one instance. */
    @Bean
    @CommandRole
    DbSchedulerDeadlineManager deadlineManager(Scheduler scheduler, org.axonframework.config.Configuration configuration,
                                               Serializer defaultSerializer, TransactionManager transactionManager,
                                               DeadlineManagerSpanFactory spanFactory) {
        DbSchedulerDeadlineManager manager = DbSchedulerDeadlineManager.builder()
                .scheduler(scheduler)
                .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
                .serializer(defaultSerializer)
                .transactionManager(transactionManager)
                .spanFactory(spanFactory)
                .startScheduler(false)
                .stopScheduler(false)
                .build();
        manager.registerDispatchInterceptor(AuditMetadataConfig.deadlineAuditMetadata());
        // A firing deadline runs in a unit of work of its own; without this, what its handler applies or sends
        // would carry no correlation data at all.
        manager.registerHandlerInterceptor((unitOfWork, chain) -> {
            configuration.correlationDataProviders().forEach(unitOfWork::registerCorrelationDataProvider);
            return chain.proceed();
        });
        return manager;
    }

    /**
     * Events published without an aggregate (a fault acknowledged, a replay started) are stored like any other and
     * carry who published them, so the audit log records those operations with their actor.
     */
    @Bean
    @Primary
    EventGateway eventGateway(EventBus eventBus) {
        return DefaultEventGateway.builder()
                .eventBus(eventBus)
                .dispatchInterceptors(AuditMetadataConfig.eventAuditMetadata())
                .build();
    }

    /** Concurrent commands on one aggregate conflict on its sequence number; retry those a few times. */
    @Bean
    @Primary
    CommandGateway commandGateway(CommandBus commandBus) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .dispatchInterceptors(AuditMetadataConfig.commandAuditMetadata())
                .retryScheduler(IntervalRetryScheduler.builder()
                        .retryExecutor(Executors.newSingleThreadScheduledExecutor())
                        .retryInterval(50)
                        .maxRetryCount(5)
                        .nonTransientFailurePredicate(e -> !(e instanceof ConcurrencyException))
                        .build())
                .build();
    }
}
