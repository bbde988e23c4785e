package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The attack: a login session left open on a shared machine stays usable for its whole lifetime (12 h), though an
 * idle timeout is configured. Two instances of their own, with a 3 s idle timeout: a session unused for longer is
 * refused on either, one in use is not, also when it moves between instances.
 */
class IdleSessionTest extends IntegrationTest {
    private static final long IDLE_MILLIS = 3_000;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static Api one;
    private static Api two;

    /** Once the shared context (and with it the embedded database) is up, which it is by the first test. */
    @BeforeEach
    void startInstances() {
        if (first != null) {
            return;
        }
        first = Instances.start("--tokenledger.session.idle-timeout=" + IDLE_MILLIS + "ms");
        second = Instances.start("--tokenledger.session.idle-timeout=" + IDLE_MILLIS + "ms");
        one = Instances.api(first);
        two = Instances.api(second);
    }

    @AfterAll
    static void stopInstances() {
        for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] {first, second}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void aSessionLeftIdleForLongerThanTheIdleTimeoutIsRefused() throws Exception {
        String name = unique("idle");
        api.createUser(adminToken(), name, "USER", Api.PASSWORD);
        String session = one.login(name, Api.PASSWORD);
        assertThat(one.get("/api/me", session).status()).isEqualTo(200);

        Thread.sleep(IDLE_MILLIS + 1_000);
        Api.Response refused = one.get("/api/me", session);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(401);
        assertThat(refused.json().path("detail").asText()).contains("idle");
        assertThat(two.get("/api/me", session).status()).as("on another instance too").isEqualTo(401);

        String fresh = one.login(name, Api.PASSWORD);
        assertThat(one.get("/api/me", fresh).status()).as("a new login").isEqualTo(200);
    }

    @Test
    void aSessionInUseStaysOpenAlsoWhenItMovesBetweenInstances() throws Exception {
        String name = unique("busy");
        api.createUser(adminToken(), name, "USER", Api.PASSWORD);
        String session = one.login(name, Api.PASSWORD);
        long until = System.currentTimeMillis() + 3 * IDLE_MILLIS;
        while (System.currentTimeMillis() < until) {
            assertThat(one.get("/api/me", session).status()).isEqualTo(200);
            Thread.sleep(IDLE_MILLIS / 4);
        }
        // the second instance never saw it: it reads the last use the first one recorded
        assertThat(two.get("/api/me", session).status()).as("on an instance that never saw it").isEqualTo(200);
        Thread.sleep(IDLE_MILLIS / 2);
        assertThat(one.get("/api/me", session).status()).isEqualTo(200);
    }
}
