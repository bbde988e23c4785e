package io.tokenledger.command.client;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.client.ClientDisabled;
import io.tokenledger.api.client.ClientEnabled;
import io.tokenledger.api.client.ClientId;
import io.tokenledger.api.client.ClientRegistered;
import io.tokenledger.api.client.ClientSecret;
import io.tokenledger.api.client.ClientSecretRotated;
import io.tokenledger.api.client.DisableClient;
import io.tokenledger.api.client.EnableClient;
import io.tokenledger.api.client.RegisterClient;
import io.tokenledger.api.client.RotateClientSecret;
import io.tokenledger.api.user.UserId;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client rules: a printable name, a secret known by its hash, rotation, disable and enable idempotent. */
class ClientTest {
    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    private final ClientId id = ClientId.random();
    private final UserId admin = UserId.random();
    private final ClientSecret secret = ClientSecret.generate();
    private AggregateTestFixture<Client> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Client.class);
        fixture.givenCurrentTime(NOW);
    }

    private ClientRegistered registered() {
        return new ClientRegistered(id, "abc", "gateway", secret.hash(), secret.hint(), admin, NOW);
    }

    @Test
    void anAdminRegistersAClientKnownOnlyByTheHashOfItsSecret() {
        fixture.givenNoPriorActivity()
                .when(new RegisterClient(id, "abc", "  gateway ", secret.hash(), secret.hint(), admin))
                .expectEvents(registered());
    }

    @Test
    void theNameIsOneToAHundredPrintableCharacters() {
        for (String bad : new String[] {"", "   ", "x".repeat(101), "tab\there", null}) {
            setUp();
            fixture.givenNoPriorActivity()
                    .when(new RegisterClient(id, "abc", bad, secret.hash(), secret.hint(), admin))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
    }

    @Test
    void aRotationReplacesTheSecretsHash() {
        ClientSecret next = ClientSecret.generate();
        fixture.given(registered())
                .when(new RotateClientSecret(id, next.hash(), next.hint(), admin))
                .expectEvents(new ClientSecretRotated(id, next.hash(), next.hint(), admin, NOW));
    }

    @Test
    void disablingAndEnablingAreIdempotent() {
        fixture.given(registered())
                .when(new DisableClient(id, admin))
                .expectEvents(new ClientDisabled(id, admin, NOW));
        fixture.given(registered(), new ClientDisabled(id, admin, NOW))
                .when(new DisableClient(id, admin))
                .expectNoEvents();
        fixture.given(registered(), new ClientDisabled(id, admin, NOW))
                .when(new EnableClient(id, admin))
                .expectEvents(new ClientEnabled(id, admin, NOW));
        fixture.given(registered())
                .when(new EnableClient(id, admin))
                .expectNoEvents();
    }
}
