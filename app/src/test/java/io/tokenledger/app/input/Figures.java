package io.tokenledger.app.input;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the input properties saw, per endpoint: requests sent, refusals by status, accepted (2xx) inputs,
 * violations of the oracle, and events from elsewhere (deadlines) that landed during a refused request. Written to
 * {@code target/reliability/input-properties.json} after each property class, all classes of the run together.
 */
final class Figures {
    static final Path FILE = Path.of("target", "reliability", "input-properties.json");
    private static final Map<String, Endpoint> ENDPOINTS = new TreeMap<>();
    private static final Map<String, Long> MILLIS = new TreeMap<>();

    private Figures() {
    }

    /** The counts of one endpoint. */
    static final class Endpoint {
        long tries;
        long accepted;
        long background;
        long violations;
        final Map<Integer, Long> refused = new TreeMap<>();
    }

    static synchronized void accepted(String endpoint) {
        Endpoint e = ENDPOINTS.computeIfAbsent(endpoint, k -> new Endpoint());
        e.tries++;
        e.accepted++;
    }

    static synchronized void refused(String endpoint, int status) {
        Endpoint e = ENDPOINTS.computeIfAbsent(endpoint, k -> new Endpoint());
        e.tries++;
        e.refused.merge(status, 1L, Long::sum);
    }

    /** A response that broke the oracle (a 5xx, a body that is no problem, a write): the property fails on it. */
    static synchronized void violation(String endpoint) {
        ENDPOINTS.computeIfAbsent(endpoint, k -> new Endpoint()).violations++;
    }

    static synchronized void background(String endpoint) {
        ENDPOINTS.computeIfAbsent(endpoint, k -> new Endpoint()).background++;
    }

    /** How long a property took, wall clock. */
    static synchronized void took(String property, long millis) {
        MILLIS.merge(property, millis, Long::sum);
    }

    static synchronized void write() {
        Map<String, Object> endpoints = new LinkedHashMap<>();
        long tries = 0;
        long accepted = 0;
        long violations = 0;
        Map<Integer, Long> refused = new TreeMap<>();
        for (Map.Entry<String, Endpoint> entry : ENDPOINTS.entrySet()) {
            Endpoint e = entry.getValue();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("tries", e.tries);
            one.put("accepted2xx", e.accepted);
            one.put("refusedByStatus", e.refused);
            one.put("violations", e.violations);
            one.put("backgroundEventsIgnored", e.background);
            endpoints.put(entry.getKey(), one);
            tries += e.tries;
            accepted += e.accepted;
            violations += e.violations;
            e.refused.forEach((status, n) -> refused.merge(status, n, Long::sum));
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("writtenAt", Instant.now().toString());
        all.put("endpoints", ENDPOINTS.size());
        all.put("tries", tries);
        all.put("accepted2xx", accepted);
        all.put("refusedByStatus", refused);
        all.put("violations", violations);
        all.put("propertyMillis", MILLIS);
        all.put("byEndpoint", endpoints);
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(FILE.toFile(), all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
