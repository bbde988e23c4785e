package io.tokenledger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tokenledger.bench.Server;
import io.tokenledger.client.api.AuthenticationApi;
import io.tokenledger.client.api.MeApi;
import io.tokenledger.client.api.TokensApi;
import io.tokenledger.client.api.UsersApi;
import io.tokenledger.client.model.CreateTokenRequest;
import io.tokenledger.client.model.CreatedToken;
import io.tokenledger.client.model.LoginRequest;
import io.tokenledger.client.model.NewUser;
import io.tokenledger.client.model.Problem;
import io.tokenledger.client.model.RevokeTokenRequest;
import io.tokenledger.client.model.TokenView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An integrator's view: a Java client generated from the API document (docs/openapi.json, which ApiDocumentTest
 * keeps equal to the served one) by openapi-generator, used as-is against the runnable jar started as a user starts
 * it. It logs in, authenticates with the client's own bearer setting, and every answer, errors included, reads into
 * the generated types.
 */
class GeneratedClientTest {
    private static final String PASSWORD = "Velvet-Compass-Harbor-83";

    @TempDir
    static Path dataDir;
    private static Server server;

    @BeforeAll
    static void start() {
        Path jar = Path.of("..", "app", "target", "tokenledger.jar");
        assumeTrue(Files.isRegularFile(jar), "the application jar is built by mvn package/verify");
        server = Server.start(jar, dataDir.resolve("data"), null, List.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ApiClient client() {
        return new ApiClient().setBasePath("http://localhost:" + server.port());
    }

    @Test
    void anIntegratorLogsInCreatesAUserAndATokenListsRotatesAndRevokesIt() throws Exception {
        ApiClient admin = client();
        String session = new AuthenticationApi(admin)
                .login(new LoginRequest().username("admin").password(Server.ADMIN_PASSWORD)).getToken();
        admin.setBearerToken(session);

        String username = "client-" + UUID.randomUUID().toString().substring(0, 8);
        UUID userId = new UsersApi(admin).createUser(new NewUser().username(username)
                .email(username + "@example.com").role(NewUser.RoleEnum.USER).password(PASSWORD)).getId();
        assertThat(new UsersApi(admin).getUser(userId).getUsername()).isEqualTo(username);

        TokensApi tokens = new TokensApi(admin);
        CreatedToken created = tokens.createUserToken(userId, new CreateTokenRequest().name("ci-deploy")
                .expiresAt("2027-06-30").addScopesItem("api").addTagsItem("CI"));
        assertThat(created.getToken()).startsWith("tlp_");
        assertThat(created.getStatus()).isEqualTo(CreatedToken.StatusEnum.ACTIVE);

        // The created token works with a client of its own.
        ApiClient owner = client();
        owner.setBearerToken(created.getToken());
        assertThat(new MeApi(owner).getMe().getUsername()).isEqualTo(username);

        assertThat(created.getTags()).containsExactly("ci");
        assertThat(tokens.listUserTokens(userId, null, null, null, null, null, null, null, null, null).getItems())
                .extracting(TokenView::getId).contains(created.getId());
        assertThat(tokens.listTokens("ACTIVE", userId, null, null, null, null, "ci", null, null, 0, 50,
                "expiresAt,asc").getItems()).extracting(TokenView::getId).containsExactly(created.getId());

        CreatedToken rotated = tokens.rotateToken(UUID.fromString(created.getId()), null);
        assertThat(rotated.getId()).isNotEqualTo(created.getId());
        assertThat(tokens.getToken(UUID.fromString(created.getId())).getStatus())
                .isEqualTo(TokenView.StatusEnum.REVOKED);

        TokenView revoked = tokens.revokeToken(UUID.fromString(rotated.getId()),
                new RevokeTokenRequest().reason("done"));
        assertThat(revoked.getStatus()).isEqualTo(TokenView.StatusEnum.REVOKED);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> {
            ApiClient stale = client();
            stale.setBearerToken(rotated.getToken());
            new MeApi(stale).getMe();
        });
        assertThat(refused.getCode()).isEqualTo(401);
    }

    @Test
    void errorsReadAsTheDocumentsProblemDetails() throws Exception {
        ApiClient admin = client();
        admin.setBearerToken(new AuthenticationApi(admin)
                .login(new LoginRequest().username("admin").password(Server.ADMIN_PASSWORD)).getToken());

        ApiException missing = catchThrowableOfType(ApiException.class,
                () -> new UsersApi(admin).getUser(UUID.randomUUID()));
        assertThat(missing.getCode()).isEqualTo(404);
        Problem notFound = admin.getObjectMapper().readValue(missing.getResponseBody(), Problem.class);
        assertThat(notFound.getStatus()).isEqualTo(404);
        assertThat(notFound.getType()).isEqualTo("urn:tokenledger:problem:not-found");

        ApiException invalid = catchThrowableOfType(ApiException.class, () -> new UsersApi(admin).createUser(
                new NewUser().username("x").email("x@example.com").role(NewUser.RoleEnum.USER).password(PASSWORD)));
        assertThat(invalid.getCode()).isEqualTo(400);
        Problem validation = admin.getObjectMapper().readValue(invalid.getResponseBody(), Problem.class);
        assertThat(validation.getStatus()).isEqualTo(400);
        assertThat(validation.getErrors()).anySatisfy(e -> assertThat(e.getField()).isEqualTo("username"));
    }
}
