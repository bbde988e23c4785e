package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.embedded.EmbeddedPostgresStarter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded default keeps its data across a restart of the application and of PostgreSQL. */
class RestartTest {

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(TokenLedgerApplication.class)
                .profiles("test")
                .run("--tokenledger.data-dir=" + dataDir, "--server.port=0");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void usersSurviveARestart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "restart-");
        String name = "survivor";
        String id;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = new Api(port(first));
            id = api.createUser(api.login("admin", IntegrationTest.ADMIN_PASSWORD), name, "USER", "password-1");
        }
        EmbeddedPostgresStarter.stop(dataDir);

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = new Api(port(second));
            String admin = api.login("admin", IntegrationTest.ADMIN_PASSWORD);
            assertThat(api.get("/api/users/" + id, admin).json().get("username").asText()).isEqualTo(name);
            assertThat(api.get("/api/me", api.login(name, "password-1")).json().get("id").asText()).isEqualTo(id);
            assertThat(api.get("/api/users?size=200", admin).json().get("total").asLong()).isEqualTo(2);
        } finally {
            EmbeddedPostgresStarter.stop(dataDir);
        }
    }
}
