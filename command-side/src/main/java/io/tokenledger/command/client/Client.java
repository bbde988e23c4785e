package io.tokenledger.command.client;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.client.ClientDisabled;
import io.tokenledger.api.client.ClientEnabled;
import io.tokenledger.api.client.ClientId;
import io.tokenledger.api.client.ClientRegistered;
import io.tokenledger.api.client.ClientSecretRotated;
import io.tokenledger.api.client.DisableClient;
import io.tokenledger.api.client.EnableClient;
import io.tokenledger.api.client.RegisterClient;
import io.tokenledger.api.client.RotateClientSecret;
import io.tokenledger.command.CommandRole;
import io.tokenledger.api.PrintableText;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A client: a resource server that authenticates with its client id and secret to introspect and revoke tokens.
 * Like a token, it knows only the hash of its secret; admins register it, rotate its secret, disable and enable it.
 */
@CommandRole
@Aggregate
public class Client {
    /** Longest client name. */
    public static final int MAX_NAME_LENGTH = 100;

    @AggregateIdentifier
    private String aggregateId;
    private boolean enabled;

    protected Client() {
    }

    @CommandHandler
    public Client(RegisterClient command) {
        String name = command.name() == null ? "" : command.name().strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw CommandRejected.invalid("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (!PrintableText.isPrintable(name)) {
            throw CommandRejected.invalid("name", "must contain printable characters only");
        }
        apply(new ClientRegistered(command.id(), command.clientId(), name, command.hash(), command.hint(),
                command.registeredBy(), now()));
    }

    @CommandHandler
    public void handle(RotateClientSecret command) {
        apply(new ClientSecretRotated(command.id(), command.hash(), command.hint(), command.rotatedBy(), now()));
    }

    @CommandHandler
    public void handle(DisableClient command) {
        if (enabled) {
            apply(new ClientDisabled(command.id(), command.disabledBy(), now()));
        }
    }

    @CommandHandler
    public void handle(EnableClient command) {
        if (!enabled) {
            apply(new ClientEnabled(command.id(), command.enabledBy(), now()));
        }
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    @EventSourcingHandler
    void on(ClientRegistered event) {
        aggregateId = event.id().toString();
        enabled = true;
    }

    @EventSourcingHandler
    void on(ClientDisabled event) {
        enabled = false;
    }

    @EventSourcingHandler
    void on(ClientEnabled event) {
        enabled = true;
    }
}
