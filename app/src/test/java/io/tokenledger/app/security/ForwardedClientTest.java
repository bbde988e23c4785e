package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The attack: behind the compose gateway every client is the gateway, so one guesser's failures lock everyone out of
 * a username and audit records and last uses name the gateway; directly connected, a client could claim any address
 * in {@code X-Forwarded-For}. An instance of its own trusts 127.0.0.1 as its proxy (the gateway here): what that proxy
 * forwards names the client; the same header from any other address is ignored.
 */
class ForwardedClientTest extends IntegrationTest {
    private static final String PROXY = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConfigurableApplicationContext instance;
    private static int port;

    @BeforeEach
    void startInstance() {
        if (instance != null) {
            return;
        }
        instance = Instances.start("--server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1",
                "--tokenledger.login.max-failures-per-user-and-client=2");
        port = Instances.port(instance);
    }

    @AfterAll
    static void stopInstance() {
        if (instance != null) {
            instance.close();
        }
    }

    private static RawHttp.Response send(String from, String forwardedFor, String method, String path, String token,
                                         Object body) {
        List<byte[]> headers = new ArrayList<>();
        headers.add(RawHttp.line("Content-Type", "application/json"));
        if (forwardedFor != null) {
            headers.add(RawHttp.line("X-Forwarded-For", forwardedFor));
        }
        if (token != null) {
            headers.add(RawHttp.line("Authorization", "Bearer " + token));
        }
        byte[] bytes = body == null ? new byte[0] : Api.json(body).getBytes(StandardCharsets.UTF_8);
        return RawHttp.send(from, port, method, path, headers, bytes);
    }

    private static RawHttp.Response login(String from, String forwardedFor, String username, String password) {
        return send(from, forwardedFor, "POST", "/api/auth/login", null,
                Map.of("username", username, "password", password));
    }

    /** The address the token's last use was recorded from, once it has been written. */
    private String lastUsedIp(String tokenId) throws Exception {
        String admin = adminToken();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            JsonNode view = api.get("/api/tokens/" + tokenId, admin).json();
            if (!view.path("lastUsedIp").isMissingNode() && !view.path("lastUsedIp").isNull()) {
                return view.path("lastUsedIp").asText();
            }
            assertThat(System.currentTimeMillis()).as("the last use of " + tokenId + " written").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void theClientAddressATrustedProxyForwardsIsTheClientsAndAnUntrustedOneIsIgnored() throws Exception {
        String name = unique("forwarded");
        api.createUser(adminToken(), name, "USER", Api.PASSWORD);

        RawHttp.Response viaProxy = login(PROXY, "198.51.100.23, 203.0.113.7", name, Api.PASSWORD);
        assertThat(viaProxy.status()).as(viaProxy.body()).isEqualTo(200);
        JsonNode session = JSON.readTree(viaProxy.body());
        assertThat(send(PROXY, "203.0.113.7", "GET", "/api/me", session.get("token").asText(), null).status())
                .isEqualTo(200);
        assertThat(lastUsedIp(session.get("tokenId").asText())).as("the client the proxy forwarded")
                .isEqualTo("203.0.113.7");

        RawHttp.Response spoofed = login("127.0.0.9", "203.0.113.99", name, Api.PASSWORD);
        assertThat(spoofed.status()).isEqualTo(200);
        JsonNode other = JSON.readTree(spoofed.body());
        assertThat(send("127.0.0.9", "203.0.113.99", "GET", "/api/me", other.get("token").asText(), null).status())
                .isEqualTo(200);
        assertThat(lastUsedIp(other.get("tokenId").asText())).as("a header from a client that is no proxy")
                .isEqualTo("127.0.0.9");
    }

    @Test
    void oneGuesserBehindTheGatewayDoesNotLockOutTheOtherClientsOfTheGateway() {
        String name = unique("gateway");
        api.createUser(adminToken(), name, "USER", Api.PASSWORD);
        assertThat(login(PROXY, "203.0.113.50", name, "guess-1").status()).isEqualTo(401);
        assertThat(login(PROXY, "203.0.113.50", name, "guess-2").status()).isEqualTo(401);
        assertThat(login(PROXY, "203.0.113.50", name, Api.PASSWORD).status()).as("the guesser").isEqualTo(429);
        assertThat(login(PROXY, "203.0.113.51", name, Api.PASSWORD).status()).as("the owner, through the same gateway")
                .isEqualTo(200);
    }
}
