package io.tokenledger.command.client;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.client.ClientId;
import io.tokenledger.api.client.ClientSecret;
import io.tokenledger.api.client.ClientView;
import io.tokenledger.api.client.DisableClient;
import io.tokenledger.api.client.EnableClient;
import io.tokenledger.api.client.FindClient;
import io.tokenledger.api.client.RegisterClient;
import io.tokenledger.api.client.RotateClientSecret;
import io.tokenledger.command.CommandRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admins register resource servers as clients and manage them. The secret is generated here, outside the
 * aggregate, and shown exactly once: in the answer to the registration or rotation.
 */
@CommandRole
@RestController
class ClientCommandController {
    private final CommandGateway commands;
    private final QueryGateway queries;

    ClientCommandController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /** Body of {@code POST /api/clients}. */
    record RegisterClientRequest(@Size(max = 400) String name) {
    }

    /** A client with its secret, this once. */
    record ClientWithSecret(String id, String clientId, String clientSecret, String name, Instant createdAt) {
        @Override
        public String toString() {
            return "ClientWithSecret[id=" + id + ", clientId=" + clientId + "]";
        }
    }

    @PostMapping("/api/clients")
    ResponseEntity<ClientWithSecret> register(@Valid @RequestBody RegisterClientRequest body,
                                              @AuthenticationPrincipal Actor actor) {
        ClientId id = ClientId.random();
        ClientSecret secret = ClientSecret.generate();
        commands.sendAndWait(new RegisterClient(id, ClientSecret.newClientId(), body.name(), secret.hash(),
                secret.hint(), actor.userId()));
        return withSecret(view(id), secret);
    }

    @PostMapping("/api/clients/{id}/rotate-secret")
    ResponseEntity<ClientWithSecret> rotate(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        ClientId clientId = new ClientId(id);
        ClientSecret secret = ClientSecret.generate();
        send(new RotateClientSecret(clientId, secret.hash(), secret.hint(), actor.userId()), clientId);
        return withSecret(view(clientId), secret);
    }

    @PostMapping("/api/clients/{id}/disable")
    ClientView disable(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        ClientId clientId = new ClientId(id);
        send(new DisableClient(clientId, actor.userId()), clientId);
        return view(clientId);
    }

    @PostMapping("/api/clients/{id}/enable")
    ClientView enable(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        ClientId clientId = new ClientId(id);
        send(new EnableClient(clientId, actor.userId()), clientId);
        return view(clientId);
    }

    /** Sends a command to an existing client: the id is checked first, as it might be another aggregate's. */
    private void send(Object command, ClientId id) {
        view(id);
        try {
            commands.sendAndWait(command);
        } catch (AggregateNotFoundException e) {
            throw CommandRejected.notFound("no client " + id);
        }
    }

    private ClientView view(ClientId id) {
        return queries.query(new FindClient(id), ResponseTypes.optionalInstanceOf(ClientView.class)).join()
                .orElseThrow(() -> CommandRejected.notFound("no client " + id));
    }

    private static ResponseEntity<ClientWithSecret> withSecret(ClientView view, ClientSecret secret) {
        return ResponseEntity.created(URI.create("/api/clients/" + view.id()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new ClientWithSecret(view.id(), view.clientId(), secret.reveal(), view.name(),
                        view.createdAt()));
    }
}
