package io.tokenledger.app.security;

import static io.tokenledger.app.IntegrationTest.EMBEDDED_POSTGRES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenledger.app.IntegrationTest;
import io.tokenledger.app.embedded.EmbeddedDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The attack: a local user connects to the embedded PostgreSQL as its superuser with no password, inserts a credential
 * row and acts as an administrator. The server now takes only loopback TCP connections, each with the password
 * generated at the first start (SCRAM-SHA-256), kept owner-only beside the data; an earlier release's data directory
 * gets one at its first start.
 */
class DatabaseAccessTest extends IntegrationTest {
    @Value("${spring.datasource.url}")
    private String url;
    @Value("${tokenledger.data-dir}")
    private Path dataDir;

    @Test
    void aLocalUserWithoutThePasswordCannotConnectToTheEmbeddedDatabase() throws Exception {
        assertRefused(url, "postgres", null);
        assertRefused(url, "postgres", "");
        assertRefused(url, "postgres", "postgres");
        assertRefused(url, "attacker", null);

        Path passwordFile = EmbeddedDatabase.passwordFile(dataDir.resolve("postgres"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        String password = EmbeddedDatabase.readPassword(dataDir.resolve("postgres")).orElseThrow();
        assertThat(password).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
        try (Connection c = connect(url, "postgres", password); Statement s = c.createStatement()) {
            assertThat(single(s, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(single(s, "SHOW unix_socket_directories")).isEmpty();
            assertThat(single(s, "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'"))
                    .startsWith("SCRAM-SHA-256$");
            assertThat(single(s, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"))
                    .isEqualTo("scram-sha-256");
        }
    }

    @Test
    void anEarlierReleasesPasswordlessDatabaseRequiresAPasswordFromItsFirstStart() throws Exception {
        Path postgresDir = Files.createTempDirectory(Path.of("target"), "earlier-release-").resolve("postgres");
        // as an earlier release left it: initialised with trust, its superuser without a password
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(postgresDir)
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1").start();
             Connection c = earlier.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v TEXT)");
            s.execute("INSERT INTO kept VALUES ('from before')");
        }
        assertThat(EmbeddedDatabase.readPassword(postgresDir)).isEmpty();

        try (EmbeddedDatabase database = EmbeddedDatabase.open(postgresDir, EMBEDDED_POSTGRES)) {
            String jdbc = database.jdbcUrl("postgres");
            assertRefused(jdbc, "postgres", null);
            assertThat(EmbeddedDatabase.readPassword(postgresDir)).contains(database.password());
            try (Connection c = connect(jdbc, "postgres", database.password()); Statement s = c.createStatement()) {
                assertThat(single(s, "SELECT v FROM kept")).isEqualTo("from before");
            }
        }
        // and at every start after that
        try (EmbeddedDatabase database = EmbeddedDatabase.open(postgresDir, EMBEDDED_POSTGRES)) {
            assertRefused(database.jdbcUrl("postgres"), "postgres", null);
            try (Connection c = database.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
                assertThat(single(s, "SELECT v FROM kept")).isEqualTo("from before");
            }
        }
    }

    private static void assertRefused(String url, String user, String password) {
        assertThatThrownBy(() -> connect(url, user, password).close())
                .as("a connection as %s with password %s", user, password == null ? "none" : "'" + password + "'")
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("password", "no pg_hba.conf entry"));
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        // the URL names its user: take it off so that the one given here counts
        return DriverManager.getConnection(url.replaceAll("[?&]user=[^&]*", ""), properties);
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
