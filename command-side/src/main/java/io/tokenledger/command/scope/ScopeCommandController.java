package io.tokenledger.command.scope;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.scope.DeleteScope;
import io.tokenledger.api.scope.FindScope;
import io.tokenledger.api.scope.RegisterScope;
import io.tokenledger.api.scope.ScopeView;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.command.CommandRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Admins register and delete platform scopes. */
@CommandRole
@Tag(name = "Scopes")
@RestController
class ScopeCommandController {
    private final CommandGateway commands;
    private final QueryGateway queries;

    ScopeCommandController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /** Body of {@code POST /api/scopes}. */
    record RegisterScopeRequest(@Size(max = 200) String name, @Size(max = 2000) String description) {
    }

    @Operation(operationId = "createScope", summary = "Register a scope (admins)")
    @ApiResponse(responseCode = "201", description = "The scope is registered; Location names it")
    @PostMapping("/api/scopes")
    ResponseEntity<ScopeView> register(@Valid @RequestBody RegisterScopeRequest body,
                                       @AuthenticationPrincipal Actor actor) {
        String name = PlatformScope.checkedName(body.name());
        commands.sendAndWait(new RegisterScope(name, body.description(), actor.userId()));
        ScopeView view = queries.query(new FindScope(name), ResponseTypes.optionalInstanceOf(ScopeView.class)).join()
                .orElseThrow(() -> CommandRejected.notFound("no scope '" + name + "'"));
        return ResponseEntity.created(URI.create("/api/scopes/" + name)).body(view);
    }

    @Operation(operationId = "deleteScope", summary = "Delete a scope no token holds (admins)")
    @ApiResponse(responseCode = "204", description = "The scope is deleted")
    @DeleteMapping("/api/scopes/{name}")
    ResponseEntity<Void> delete(@Parameter(schema = @Schema(maxLength = 200)) @PathVariable String name, @AuthenticationPrincipal Actor actor) {
        if (Scopes.BUILT_IN.contains(name)) {
            throw CommandRejected.conflict("'" + name + "' is a built-in scope");
        }
        if (!Scopes.NAME.matcher(name).matches()) {
            throw CommandRejected.notFound("no scope '" + name + "'");
        }
        try {
            commands.sendAndWait(new DeleteScope(name, actor.userId()));
        } catch (AggregateNotFoundException e) {
            throw CommandRejected.notFound("no scope '" + name + "'");
        }
        return ResponseEntity.noContent().build();
    }
}
