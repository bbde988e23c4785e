package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A client of {@code GET /api/stream/tokens}: the answer's status and type, every line received so far (read by a
 * thread of its own), and whether the server ended the stream.
 */
public final class Listening implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int status;
    private final String contentType;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Stream<String> body;

    private Listening(HttpResponse<Stream<String>> response) {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.body = response.body();
        Thread reader = new Thread(() -> {
            try {
                body.forEach(lines::add);
                ended.complete(null);
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
            }
        }, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream with the token; a refusal is read whole before this returns. */
    public static Listening open(int port, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/stream/tokens"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        try {
            Listening listening = new Listening(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .get(30, TimeUnit.SECONDS));
            if (listening.status != 200) {
                listening.ended.get(10, TimeUnit.SECONDS);
            }
            return listening;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("opening the stream failed", e));
        }
    }

    /** Opens the stream and waits until the server says it is subscribed. */
    public static Listening subscribed(int port, String token) throws InterruptedException {
        Listening listening = open(port, token);
        assertThat(listening.status).as("status of the stream").isEqualTo(200);
        listening.await(l -> l.contains("subscribed"), "subscribed");
        return listening;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public List<String> lines() {
        return lines;
    }

    /** Whether the server has ended the stream (its response is complete, or the connection broke). */
    public boolean hasEnded() {
        return ended.isDone();
    }

    /** Waits up to ten seconds for a line that matches. */
    public void await(Predicate<String> line, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (lines.stream().noneMatch(line) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lines).as(what).anyMatch(line);
    }

    /** Asserts that the server ends the stream, cleanly, within five seconds. */
    public void awaitClosed(String what) {
        assertThat(ended).as(what + " is closed by the server").succeedsWithin(5, TimeUnit.SECONDS);
    }

    /** Closes the stream from this side. */
    @Override
    public void close() {
        body.close();
    }
}
