package io.tokenledger.app.reliability;

import io.tokenledger.app.Api;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Clients that stream commands at the application as an administrator would: create users, create permanent
 * tokens (some expiring within seconds, some within the hour, some after a year), log users in, revoke and
 * rotate tokens. Every command answered 2xx is recorded with the ids it named or got, for the oracle to find
 * its events; connections refused while the application is down are counted, and the clients keep trying.
 * Each client works on its own users and tokens, so what it records never races another client.
 */
final class CommandLoad {
    /** Shortest and longest lifetime of a short-lived token: it expires while the clients still run, or while down. */
    static final Duration SHORT_MIN = Duration.ofSeconds(2);
    static final Duration SHORT_MAX = Duration.ofSeconds(12);
    /** Lifetime of a token that must still be active, and warned once, at the end. */
    static final Duration HOUR = Duration.ofHours(1);

    /** A permanent token whose creation (or rotation into it) was acknowledged. */
    record Token(String id, String userId, Instant expiresAt, Instant acknowledgedAt) {
    }

    /** A revoke answered 200: sent at {@code sentAt}. */
    record Revoke(String tokenId, Instant sentAt) {
    }

    /** Acknowledged commands. */
    final Map<String, String> users = new ConcurrentHashMap<>();
    final Map<String, Token> tokens = new ConcurrentHashMap<>();
    final Map<String, String> rotations = new ConcurrentHashMap<>();
    final Map<String, Revoke> revokes = new ConcurrentHashMap<>();
    final Map<String, String> logins = new ConcurrentHashMap<>();

    final AtomicLong sent = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong unanswered = new AtomicLong();
    final Map<Integer, AtomicLong> otherStatuses = new ConcurrentHashMap<>();
    final List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());

    private final int port;
    private final String adminToken;
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean running;

    CommandLoad(int port, String adminToken) {
        this.port = port;
        this.adminToken = adminToken;
    }

    void start(int clientCount, long seed) {
        running = true;
        for (int i = 0; i < clientCount; i++) {
            Client client = new Client(i, new Random(seed + i));
            Thread thread = new Thread(client::run, "load-" + i);
            thread.setDaemon(true);
            clients.add(thread);
            thread.start();
        }
    }

    /** Stops the clients once their commands in flight are answered (or time out). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(40).toMillis());
        }
    }

    /** Statuses other than 2xx, by status. */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> counts = new TreeMap<>();
        otherStatuses.forEach((status, n) -> counts.put(status, n.get()));
        return counts;
    }

    private final class Client {
        private final int number;
        private final Random random;
        private final Api api;
        private final List<String> myUsers = new ArrayList<>();
        private final List<Token> active = new ArrayList<>();
        private int counter;

        Client(int number, Random random) {
            this.number = number;
            this.random = random;
            this.api = new Api(port);
        }

        void run() {
            while (running) {
                double dice = random.nextDouble();
                if (myUsers.isEmpty() || dice < 0.15) {
                    if (createUser() && random.nextBoolean()) {
                        createToken(myUsers.get(myUsers.size() - 1)); // at once, while its owner is being projected
                    }
                } else if (dice < 0.50 || active.isEmpty()) {
                    createToken(myUsers.get(random.nextInt(myUsers.size())));
                } else if (dice < 0.65) {
                    login();
                } else if (dice < 0.82) {
                    revoke();
                } else {
                    rotate();
                }
            }
        }

        private boolean createUser() {
            String username = "kill-" + number + "-" + ++counter + "-" + Integer.toHexString(random.nextInt());
            Optional<Api.Response> created = send(() -> api.post("/api/users", adminToken, Map.of("username", username,
                    "email", username + "@example.com", "displayName", username, "role", "USER",
                    "password", Api.PASSWORD)));
            created.ifPresent(user -> {
                String id = user.json().get("id").asText();
                users.put(id, username);
                myUsers.add(id);
            });
            return created.isPresent();
        }

        private void createToken(String userId) {
            double kind = random.nextDouble();
            Instant now = Instant.now();
            Optional<Instant> expiresAt = kind < 0.4
                    ? Optional.of(now.plusMillis(SHORT_MIN.toMillis()
                            + random.nextLong(SHORT_MAX.toMillis() - SHORT_MIN.toMillis())))
                    : kind < 0.8 ? Optional.of(now.plus(HOUR)) : Optional.empty();
            Map<String, Object> body = new HashMap<>(Map.of("name", "token-" + ++counter));
            expiresAt.ifPresent(at -> body.put("expiresAt", at.truncatedTo(ChronoUnit.MILLIS).toString()));
            send(() -> api.post("/api/users/" + userId + "/tokens", adminToken, body)).ifPresent(created -> {
                Token token = new Token(created.json().get("id").asText(), userId,
                        Instant.parse(created.json().get("expiresAt").asText()), Instant.now());
                tokens.put(token.id(), token);
                active.add(token);
            });
        }

        private void login() {
            String userId = myUsers.get(random.nextInt(myUsers.size()));
            String username = users.get(userId);
            send(() -> api.post("/api/auth/login", null,
                    Map.of("username", username, "password", Api.PASSWORD)))
                    .ifPresent(session -> logins.put(session.json().get("tokenId").asText(), userId));
        }

        /** Revokes one of this client's tokens; whatever the outcome, the client no longer counts it active. */
        private void revoke() {
            Token token = active.remove(random.nextInt(active.size()));
            Instant sentAt = Instant.now();
            send(() -> api.post("/api/tokens/" + token.id() + "/revoke", adminToken, Map.of("reason", "load")))
                    .ifPresent(revoked -> revokes.put(token.id(), new Revoke(token.id(), sentAt)));
        }

        private void rotate() {
            Token token = active.remove(random.nextInt(active.size()));
            Instant expiresAt = Instant.now().plus(HOUR).truncatedTo(ChronoUnit.MILLIS);
            send(() -> api.post("/api/tokens/" + token.id() + "/rotate", adminToken,
                    Map.of("expiresAt", expiresAt.toString()))).ifPresent(created -> {
                Token successor = new Token(created.json().get("id").asText(), token.userId(),
                        Instant.parse(created.json().get("expiresAt").asText()), Instant.now());
                rotations.put(token.id(), successor.id());
                tokens.put(successor.id(), successor);
                active.add(successor);
            });
        }

        /** One command: its response if 2xx; refused connections wait a little before the next command. */
        private Optional<Api.Response> send(Supplier<Api.Response> command) {
            sent.incrementAndGet();
            try {
                Api.Response response = command.get();
                if (response.status() / 100 == 2) {
                    acknowledged.incrementAndGet();
                    return Optional.of(response);
                }
                otherStatuses.computeIfAbsent(response.status(), s -> new AtomicLong()).incrementAndGet();
                if (response.status() >= 500 && serverErrors.size() < 20) {
                    serverErrors.add(response.status() + " " + response.raw());
                }
                return Optional.empty();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof ConnectException || e.getCause() instanceof HttpConnectTimeoutException) {
                    refused.incrementAndGet();
                    pause();
                } else {
                    unanswered.incrementAndGet(); // in flight when the application died: either outcome is fine
                }
                return Optional.empty();
            }
        }

        private void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
