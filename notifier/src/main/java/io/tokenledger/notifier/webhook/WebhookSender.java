package io.tokenledger.notifier.webhook;

import io.tokenledger.notifier.NotifierRole;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers the webhook outbox. Every poll interval one thread claims a batch of due deliveries (each for one
 * attempt, under a lease, with no transaction held open) and {@code concurrency} workers make the attempts over one
 * keep-alive HTTP client, then record each outcome. Delivered is a 2xx answer. Timeouts, connection failures, 408,
 * 429 and 5xx are retried with exponential backoff, or after the endpoint's {@code Retry-After}; any other answer
 * (another 4xx, a redirect, which is never followed) fails the delivery for good, as does an address the rules refuse
 * (checked again before every attempt: {@link Destinations}). A crash before an outcome is recorded repeats that
 * attempt once its lease ends: at least once, never lost. An endpoint whose attempts fail for {@code disable-after}
 * is disabled ({@link WebhookEndpoints#failed}).
 */
@NotifierRole
@Component
class WebhookSender implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
    private static final int MAX_DOUBLINGS = 30;
    private static final String USER_AGENT = "TokenLedger-Webhooks/1";

    private final WebhookOutbox outbox;
    private final WebhookEndpoints endpoints;
    private final WebhookProperties properties;
    private final HttpClient http;
    private final Duration lease;
    private ScheduledExecutorService poller;
    private ExecutorService workers;

    WebhookSender(WebhookOutbox outbox, WebhookEndpoints endpoints, WebhookProperties properties) {
        this.outbox = outbox;
        this.endpoints = endpoints;
        this.properties = properties;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .build();
        this.lease = properties.connectTimeout().plus(properties.requestTimeout()).plusSeconds(30);
    }

    @Override
    public synchronized void start() {
        if (poller != null) {
            return;
        }
        AtomicInteger count = new AtomicInteger();
        workers = Executors.newFixedThreadPool(properties.concurrency(), task -> {
            Thread thread = new Thread(task, "webhook-sender-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "webhook-poller");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService stoppingPoller;
        ExecutorService stoppingWorkers;
        synchronized (this) {
            stoppingPoller = poller;
            stoppingWorkers = workers;
            poller = null;
            workers = null;
        }
        if (stoppingPoller == null) {
            return;
        }
        stoppingPoller.shutdown();
        stoppingWorkers.shutdown();
        try {
            if (!stoppingPoller.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                stoppingPoller.shutdownNow();
            }
            if (!stoppingWorkers.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                stoppingWorkers.shutdownNow();
            }
        } catch (InterruptedException e) {
            stoppingPoller.shutdownNow();
            stoppingWorkers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return poller != null;
    }

    /** One poll: batches until nothing more is due. It never throws, as that would end all further polls. */
    private void poll() {
        try {
            boolean more = true;
            while (more && !Thread.currentThread().isInterrupted()) {
                more = deliverDueBatch();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            log.warn("Delivering webhooks failed; next try in {}", properties.pollInterval(), e);
        }
    }

    /** Claims and attempts one batch; true if it was full, so more may be due right away. */
    private boolean deliverDueBatch() throws InterruptedException {
        ExecutorService pool;
        synchronized (this) {
            pool = workers;
        }
        if (pool == null) {
            return false;
        }
        List<WebhookOutbox.Claimed> claimed = outbox.claim(properties.batchSize(), lease);
        Set<UUID> unreachable = ConcurrentHashMap.newKeySet();
        Set<UUID> failing = ConcurrentHashMap.newKeySet();
        // Each endpoint is read once per batch, not once per delivery.
        Map<UUID, Optional<WebhookEndpoints.Endpoint>> endpointsOfBatch = new ConcurrentHashMap<>();
        List<Future<?>> attempts = new ArrayList<>(claimed.size());
        for (WebhookOutbox.Claimed delivery : claimed) {
            attempts.add(pool.submit(() -> attempt(delivery, endpointsOfBatch.computeIfAbsent(delivery.endpointId(),
                    endpoints::endpoint), unreachable, failing)));
        }
        for (Future<?> attempt : attempts) {
            try {
                attempt.get();
            } catch (ExecutionException e) {
                log.warn("A webhook delivery attempt failed unexpectedly", e.getCause());
            }
        }
        return claimed.size() == properties.batchSize();
    }

    /** One attempt of one delivery to its endpoint as read for the batch, its outcome recorded. */
    void attempt(WebhookOutbox.Claimed delivery, Optional<WebhookEndpoints.Endpoint> found, Set<UUID> unreachable,
                 Set<UUID> failing) {
        if (found.isEmpty() || found.get().status() != WebhookStatus.ENABLED) {
            return; // deleted (and its log with it) or disabled meanwhile: due again once enabled
        }
        WebhookEndpoints.Endpoint endpoint = found.get();
        Duration backoff = backoff(delivery.attempts() + 1);
        if (unreachable.contains(endpoint.id())) {
            outbox.postpone(delivery, backoff);
            return;
        }
        URI uri = URI.create(endpoint.url());
        try {
            endpoints.destinations().addresses(uri);
        } catch (Destinations.Refused e) {
            failing.add(endpoint.id());
            outbox.failed(delivery, null, "refused: " + e.getMessage(), null);
            endpoints.failed(endpoint.id());
            log.warn("Webhook delivery {} to {} refused: {}", delivery.id(), endpoint.id(), e.getMessage());
            return;
        }
        Instant now = Instant.now();
        long timestamp = now.getEpochSecond();
        List<byte[]> keys;
        try {
            keys = endpoints.signingKeys(endpoint, now);
        } catch (IllegalStateException e) {
            // this instance lacks the key the secret was sealed with: not the endpoint's fault, retried
            outbox.failed(delivery, null, e.getMessage(), backoff);
            log.warn("Webhook delivery {} not attempted: {}", delivery.id(), e.getMessage());
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(properties.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", delivery.eventId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookMessages.signature(delivery.eventId(), timestamp,
                        delivery.body(), keys))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
                .build();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            failing.add(endpoint.id());
            retry(delivery, endpoint, null, "timed out: " + e.getMessage(), backoff);
            return;
        } catch (IOException e) {
            failing.add(endpoint.id());
            unreachable.add(endpoint.id());
            retry(delivery, endpoint, null, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), backoff);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the lease ends and the attempt is made again
        }
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            outbox.sent(delivery, code);
            // the endpoint's run of failures ends, if it was failing when read or has failed in this batch since
            if (endpoint.failingSince() != null || failing.contains(endpoint.id())) {
                endpoints.succeeded(endpoint.id());
            }
        } else if (code == 408 || code == 429 || code >= 500) {
            failing.add(endpoint.id());
            Duration wait = retryAfter(response.headers().firstValue("Retry-After").orElse(null), now)
                    .orElse(backoff);
            retry(delivery, endpoint, code, "HTTP " + code, wait);
        } else {
            failing.add(endpoint.id());
            outbox.failed(delivery, code, "HTTP " + code + " (not retried)", null);
            endpoints.failed(endpoint.id());
            log.info("Webhook delivery {} to {} refused with HTTP {}; not retried", delivery.id(), endpoint.id(),
                    code);
        }
    }

    private void retry(WebhookOutbox.Claimed delivery, WebhookEndpoints.Endpoint endpoint, Integer code, String error,
                       Duration wait) {
        outbox.failed(delivery, code, error, wait);
        endpoints.failed(endpoint.id());
        log.info("Webhook delivery {} to {} not delivered (attempt {}), next attempt in {}: {}", delivery.id(),
                endpoint.id(), delivery.attempts() + 1, wait, error);
    }

    /** Wait before the next attempt after {@code attempts} failed ones: doubling from the initial backoff, capped. */
    Duration backoff(int attempts) {
        Duration wait = properties.initialBackoff()
                .multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), MAX_DOUBLINGS));
        return wait.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : wait;
    }

    /** A {@code Retry-After} header (seconds, or an HTTP date) as a wait from {@code now}, at most a day. */
    static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        Duration wait;
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                wait = Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                wait = MAX_RETRY_AFTER;
            }
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }
}
