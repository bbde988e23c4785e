package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.user.ChangeUserRole;
import io.tokenledger.api.user.DisableUser;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The system is never left without an active administrator, also when the last two act against each other at
 * the same moment. Runs on its own database, where this test decides who the administrators are.
 */
class LastAdminTest {
    private static final String PASSWORD = Api.PASSWORD;
    private static Path dataDir;
    private static ConfigurableApplicationContext app;
    private static Api api;
    private static JdbcTemplate jdbc;
    private static CommandGateway commands;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory(Path.of("target"), "last-admin-");
        app = Instances.start("--tokenledger.data-dir=" + dataDir);
        api = Instances.api(app);
        jdbc = app.getBean(JdbcTemplate.class);
        commands = app.getBean(CommandGateway.class);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }

    /** An active administrator: id, username and a token of theirs. */
    private record Admin(String id, String username, String token) {
    }

    private static List<String> activeAdmins() {
        return jdbc.queryForList("SELECT id::text FROM user_view WHERE role = 'ADMIN' AND enabled", String.class);
    }

    /** Leaves exactly two active administrators: a fresh one, and one who was active before (or the bootstrap one). */
    private static List<Admin> exactlyTwoActiveAdmins() {
        List<String> active = activeAdmins();
        assertThat(active).as("active administrators before the round").isNotEmpty();
        String keptId = active.get(0);
        String keptName = jdbc.queryForObject("SELECT username FROM user_view WHERE id = ?::uuid", String.class, keptId);
        Admin kept = new Admin(keptId, keptName, api.login(keptName, keptName.equals("admin")
                ? IntegrationTest.ADMIN_PASSWORD : PASSWORD));
        for (String other : active.subList(1, active.size())) {
            assertThat(api.post("/api/users/" + other + "/disable", kept.token(), null).status()).isEqualTo(200);
        }
        String name = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        String id = api.createUser(kept.token(), name, "ADMIN", PASSWORD);
        Admin fresh = new Admin(id, name, api.login(name, PASSWORD));
        assertThat(activeAdmins()).containsExactlyInAnyOrder(kept.id(), fresh.id());
        return List.of(kept, fresh);
    }

    /** Runs both at the same moment and returns what each answered. */
    private static <T> List<T> atOnce(Callable<T> first, Callable<T> second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CyclicBarrier barrier = new CyclicBarrier(2);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : List.of(first, second)) {
                futures.add(pool.submit(() -> {
                    barrier.await();
                    return call.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends the command and says whether it went through, or the rejection's message. */
    private static String outcome(Object command) {
        try {
            commands.sendAndWait(command);
            return "done";
        } catch (CommandRejected e) {
            return e.getMessage();
        }
    }

    private void theLastTwoAdminsActAgainstEachOtherOnTheCommandBus(BiFunction<String, String, Object> command)
            throws Exception {
        for (int round = 0; round < 5; round++) {
            List<Admin> two = exactlyTwoActiveAdmins();
            Admin a = two.get(0);
            Admin b = two.get(1);
            List<String> outcomes = atOnce(() -> outcome(command.apply(a.id(), b.id())),
                    () -> outcome(command.apply(b.id(), a.id())));
            assertThat(activeAdmins()).as("active administrators after round %d: %s", round, outcomes).hasSize(1);
            assertThat(outcomes).as("round %d", round).containsOnlyOnce("done");
            assertThat(outcomes).anyMatch(o -> o.contains("last active administrator"));
        }
    }

    @Test
    void theLastTwoAdminsDisablingEachOtherAtTheSameMomentLeaveOneActiveAdmin() throws Exception {
        theLastTwoAdminsActAgainstEachOtherOnTheCommandBus(
                (actor, target) -> new DisableUser(UserId.of(target), UserId.of(actor)));
    }

    @Test
    void theLastTwoAdminsDemotingEachOtherAtTheSameMomentLeaveOneActiveAdmin() throws Exception {
        theLastTwoAdminsActAgainstEachOtherOnTheCommandBus(
                (actor, target) -> new ChangeUserRole(UserId.of(target), Role.USER, UserId.of(actor)));
    }

    @Test
    void theLastTwoAdminsDisablingAndDemotingEachOtherOverHttpAndTheConsoleLeaveOneActiveAdmin() throws Exception {
        boolean refusedAsLast = false;
        for (int round = 0; round < 15; round++) {
            List<Admin> two = exactlyTwoActiveAdmins();
            Admin a = two.get(0);
            Admin b = two.get(1);
            int way = round % 3;
            List<Api.Response> answers = atOnce(
                    () -> api.post("/api/users/" + b.id() + "/disable", a.token(), null),
                    () -> switch (way) {
                        case 0 -> api.post("/api/users/" + a.id() + "/disable", b.token(), null);
                        case 1 -> api.put("/api/users/" + a.id() + "/role", b.token(), Map.of("role", "USER"));
                        // the console's Disable button, which sends the same command
                        default -> api.call("POST", "/admin/users/" + a.id() + "/disable", "",
                                Map.of("Authorization", "Bearer " + b.token()));
                    });
            // the console answers a success with a redirect to the user's page, with its notice
            List<Integer> statuses = answers.stream().map(r -> r.status() == 302
                    && r.header("Location").endsWith("/admin/users/" + a.id() + "?disabled") ? 200 : r.status())
                    .toList();
            assertThat(activeAdmins()).as("active administrators after round %d: %s", round, statuses).hasSize(1);
            // The later request is refused by the rule (409), or, once the other has committed, by its token
            // (401: disabled) or its role (403: demoted).
            assertThat(statuses).as("round %d", round).containsOnlyOnce(200);
            assertThat(statuses).allMatch(s -> s == 200 || s == 409 || s == 401 || s == 403);
            for (Api.Response answer : answers) {
                if (answer.status() == 409 && answer.contentType().startsWith("text/html")) {
                    assertThat(answer.raw()).contains("last active administrator");
                } else if (answer.status() == 409) {
                    refusedAsLast = true;
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                    assertThat(answer.json().get("type").asText()).isEqualTo("urn:tokenledger:problem:last-admin");
                    assertThat(answer.json().get("title").asText()).isEqualTo("Last active administrator");
                    assertThat(answer.json().get("detail").asText()).contains("last active administrator");
                }
            }
        }
        assertThat(refusedAsLast).as("at least one round where both requests passed authentication").isTrue();
    }

    @Test
    void withASecondActiveAdminTheOtherOneCanBeDisabledAndDemoted() {
        List<Admin> two = exactlyTwoActiveAdmins();
        Admin a = two.get(0);
        String name = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        String third = api.createUser(a.token(), name, "ADMIN", PASSWORD);
        assertThat(api.put("/api/users/" + third + "/role", a.token(), Map.of("role", "AUDITOR")).status())
                .isEqualTo(200);
        assertThat(api.post("/api/users/" + two.get(1).id() + "/disable", a.token(), null).status()).isEqualTo(200);
        assertThat(activeAdmins()).containsExactly(a.id());
        // Enabling and promoting give the seats back.
        assertThat(api.put("/api/users/" + third + "/role", a.token(), Map.of("role", "ADMIN")).status())
                .isEqualTo(200);
        assertThat(api.post("/api/users/" + two.get(1).id() + "/enable", a.token(), null).status()).isEqualTo(200);
        assertThat(activeAdmins()).containsExactlyInAnyOrder(a.id(), third, two.get(1).id());
    }
}
