package io.tokenledger.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook deliveries to a receiver on this machine: E endpoints subscribed to {@code token.created}, then N tokens
 * created, E × N deliveries (500 × 20 = 10 000 in a full run), counted from the receiver's first request to its last
 * (target ≥ 500/s), against the same number of signed-size POSTs from one keep-alive client with as many requests at once as
 * the sender makes: what the receiver and the loopback take.
 */
final class WebhookBenchmark implements Scenario {
    private static final int CONCURRENCY = 8;
    private static final String BODY = "{\"type\":\"token.created\",\"timestamp\":\"2026-12-03T10:00:00Z\",\"data\":"
            + "{\"tokenId\":\"6f1c2b8e-3a4d-4e5f-8a9b-0c1d2e3f4a5b\",\"name\":\"bench-1\",\"hint\":\"tlp_…abcd\","
            + "\"userId\":\"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\",\"username\":\"bench-user\","
            + "\"expiresAt\":\"2027-12-03T00:00:00Z\",\"createdAt\":\"2026-12-03T10:00:00Z\"}}";

    @Override
    public String name() {
        return "webhooks";
    }

    /** The receiver: counts requests and notes the first and the last, answering 204. */
    private static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final AtomicLong received = new AtomicLong();
        final AtomicLong first = new AtomicLong();
        final AtomicLong last = new AtomicLong();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                long now = System.nanoTime();
                first.compareAndSet(0, now);
                last.set(now);
                received.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newFixedThreadPool(CONCURRENCY));
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        void reset() {
            received.set(0);
            first.set(0);
            last.set(0);
        }

        double perSecond() {
            return received.get() / Math.max(1e-9, (last.get() - first.get()) / 1e9);
        }

        @Override
        public void close() {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    @Override
    public void run(Context c) throws Exception {
        // Many endpoints and few tokens: the 20 events are stored in a second or two, so that the deliveries, not the
        // commands, are what the first-to-last window measures.
        int endpoints = c.size("webhook.endpoints", 5, 500);
        int tokens = c.size("webhook.tokens", 4, 20);
        long expected = (long) endpoints * tokens;
        try (Receiver receiver = new Receiver(); Http http = c.http()) {
            List<String> ids = new ArrayList<>();
            try {
                for (int i = 0; i < endpoints; i++) {
                    Http.Response created = http.post("/api/webhooks", c.admin, Map.of("url",
                            receiver.url("/hook/" + i), "events", List.of("token.created")));
                    if (!c.ok(created, 201, "register a webhook")) {
                        throw new IllegalStateException("the server refuses webhooks to loopback: start it with "
                                + "--tokenledger.webhooks.allow-http=true and allow-private-addresses=true");
                    }
                    ids.add(created.json().get("id").asText());
                }
                String user = c.createUser(http, "USER");
                long started = System.nanoTime();
                for (int i = 0; i < tokens; i++) {
                    c.createToken(http, user);
                }
                double createSeconds = (System.nanoTime() - started) / 1e9;
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (receiver.received.get() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                if (receiver.received.get() < expected) {
                    throw new IllegalStateException(receiver.received.get() + " of " + expected
                            + " webhooks received within 5 minutes");
                }
                double delivered = receiver.perSecond();
                receiver.reset();
                double raw = rawPosts(receiver, expected);
                c.results.bounded(name(), String.format("%,d deliveries (%d endpoints × %d tokens), keep-alive",
                        expected, endpoints, tokens), delivered, "deliveries/s", 500, true);
                c.results.against(name(), "  the same, beside the receiver's limit", delivered, "deliveries/s",
                        "same POSTs, keep-alive client, " + CONCURRENCY + " at once", raw, null);
                c.results.value(name(), "  " + tokens + " tokens created meanwhile", tokens / createSeconds,
                        "tokens/s");
            } finally {
                for (String id : ids) {
                    http.call("DELETE", "/api/webhooks/" + id, c.admin, null, Map.of());
                }
            }
        }
    }

    /** The receiver's limit: as many POSTs of a delivery's size, CONCURRENCY at once, over keep-alive connections. */
    private static double rawPosts(Receiver receiver, long count) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < CONCURRENCY; w++) {
                workers.add(pool.submit(() -> {
                    while (next.getAndIncrement() < count) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(receiver.url("/raw")))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
                        sendRetryingStaleConnection(client, request);
                    }
                    return null;
                }));
            }
            for (var worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return receiver.perSecond();
    }

    /**
     * Sends a POST, again (up to three tries) should its keep-alive connection be closed under it: the JDK client
     * can hand out a pooled connection whose close it is still processing ("header parser received no bytes", seen
     * once in a full run, which lost the scenario). The limit is what the receiver counts, so a rare retry only
     * adds one request to 10 000.
     */
    private static void sendRetryingStaleConnection(HttpClient client, HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                if (attempt == 3) {
                    throw new UncheckedIOException(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
