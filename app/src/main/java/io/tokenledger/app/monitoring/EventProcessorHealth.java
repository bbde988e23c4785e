package io.tokenledger.app.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokenledger.app.config.TokenLedgerProperties;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code eventProcessors} health component and the processor gauges: for each streaming processor on this
 * instance, whether it runs, the segments it has claimed here, its position and how many events it trails the
 * event store's head. DOWN when a processor is in error (a handler keeps failing: its hash chain, live
 * updates or syslog forwarding have stopped), or trails by more than
 * {@code tokenledger.health.max-processor-lag} when that is set.
 * Lag alone is reported, not failed on: a processor catching up after a start or a replay is working.
 */
@Component("eventProcessorsHealthIndicator")
class EventProcessorHealth extends AbstractHealthIndicator {
    private final EventProcessingConfiguration processing;
    private final Reading<Long> head;
    private final Long maxLag;

    EventProcessorHealth(EventProcessingConfiguration processing, JdbcTemplate jdbc, TokenLedgerProperties properties,
                         DatabaseOutage outage) {
        super("event processors could not be read");
        this.processing = processing;
        this.head = new Reading<>(() -> {
            Long max = jdbc.queryForObject("SELECT max(global_index) FROM domain_event_entry", Long.class);
            return max == null ? -1L : max;
        }, properties.health().readingTtl(), outage);
        this.maxLag = properties.health().maxProcessorLag();
    }

    /**
     * One processor as seen on this instance.
     *
     * @param position lowest position of its claimed segments here; -1 before its first event
     * @param error    type of the failure of a segment in error, or null
     */
    record State(String name, boolean running, List<Integer> segments, long position, boolean caughtUp,
                 boolean replaying, String error) {

        /** Events between this processor and the head; -1 when it has no segment here to tell. */
        long lag(long head) {
            return segments.isEmpty() ? -1 : Math.max(0, head - Math.max(position, 0));
        }
    }

    List<State> states() {
        Map<String, State> states = new TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                states.put(name, state(name, streaming));
            }
        });
        return List.copyOf(states.values());
    }

    private static State state(String name, StreamingEventProcessor processor) {
        Collection<EventTrackerStatus> segments = Map.copyOf(processor.processingStatus()).values();
        String error = segments.stream().filter(EventTrackerStatus::isErrorState)
                .map(s -> s.getError() == null ? "unknown" : s.getError().getClass().getName())
                .findFirst().orElse(processor.isError() ? "unknown" : null);
        return new State(name, processor.isRunning(),
                segments.stream().map(s -> s.getSegment().getSegmentId()).sorted().toList(),
                segments.stream().mapToLong(s -> s.getCurrentPosition().orElse(-1)).min().orElse(-1),
                !segments.isEmpty() && segments.stream().allMatch(EventTrackerStatus::isCaughtUp),
                segments.stream().anyMatch(EventTrackerStatus::isReplaying), error);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long current = head.get();
        boolean down = false;
        Map<String, Object> processors = new LinkedHashMap<>();
        for (State state : states()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("running", state.running());
            details.put("segments", state.segments());
            if (!state.segments().isEmpty()) {
                details.put("position", state.position());
                details.put("lag", state.lag(current));
                details.put("caughtUp", state.caughtUp());
                details.put("replaying", state.replaying());
            }
            if (state.error() != null) {
                details.put("error", state.error());
                down = true;
            }
            if (maxLag != null && state.lag(current) > maxLag) {
                details.put("lagLimit", maxLag);
                down = true;
            }
            processors.put(state.name(), details);
        }
        (down ? builder.down() : builder.up()).withDetail("head", current).withDetail("processors", processors);
    }

    /**
     * Registers {@code tokenledger.processor.lag} (events behind the head, NaN while no segment is claimed here)
     * and {@code tokenledger.processor.error} (1 while in error) for each processor, once they all exist.
     */
    @EventListener(ApplicationReadyEvent.class)
    void registerGauges(ApplicationReadyEvent ready) {
        MeterRegistry registry = ready.getApplicationContext().getBean(MeterRegistry.class);
        for (State initial : states()) {
            String name = initial.name();
            Gauge.builder("tokenledger.processor.lag", () -> lag(name))
                    .description("Events this processor trails the event store's head by, on this instance")
                    .baseUnit("events").tag("processor", name).register(registry);
            Gauge.builder("tokenledger.processor.error", () -> stateOf(name).error() == null ? 0 : 1)
                    .description("1 while a segment of this processor is in error, else 0")
                    .tag("processor", name).register(registry);
        }
    }

    private double lag(String name) {
        long lag = stateOf(name).lag(head.get());
        return lag < 0 ? Double.NaN : lag;
    }

    private State stateOf(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class).map(p -> state(name, p))
                .orElse(new State(name, false, List.of(), -1, false, false, null));
    }
}
