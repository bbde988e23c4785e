package io.tokenledger.command.user;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.user.ChangeUserRole;
import io.tokenledger.api.user.DisableUser;
import io.tokenledger.api.user.EnableUser;
import io.tokenledger.api.user.FindUser;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserSummary;
import io.tokenledger.command.CommandRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin commands on users: register, change role, disable, enable, reset the password. */
@CommandRole
@Tag(name = "Users")
@RestController
@RequestMapping("/api/users")
class UserCommandController {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final UserAccounts accounts;

    UserCommandController(CommandGateway commands, QueryGateway queries, UserAccounts accounts) {
        this.commands = commands;
        this.queries = queries;
        this.accounts = accounts;
    }

    /** Body of {@code POST /api/users/{id}/password}. */
    record ResetPasswordRequest(@Schema(example = "Amber-Lighthouse-Meadow-29")
                                @NotNull @Size(max = PasswordPolicy.MAX_LENGTH * 2) String newPassword) {
        @Override
        public String toString() {
            return "ResetPasswordRequest[]";
        }
    }

    /** Body of {@code PUT /api/users/{id}/role}. */
    record ChangeRoleRequest(@NotNull Role role) {
    }

    /** Answer of a registration: the new user's id. */
    record CreatedUser(@Schema(format = "uuid", maxLength = 36, example = "3f1c2b0e-8d4a-4f5e-9b6c-1a2d3e4f5a6b")
                       String id) {
    }

    @Operation(operationId = "createUser", summary = "Register a user (admins)")
    @ApiResponse(responseCode = "201", description = "The user is registered; Location names it")
    @PostMapping
    ResponseEntity<CreatedUser> register(@Valid @RequestBody NewUser request) {
        UserId userId = accounts.register(request);
        return ResponseEntity.created(URI.create("/api/users/" + userId)).body(new CreatedUser(userId.toString()));
    }

    @Operation(operationId = "changeUserRole", summary = "Change a user's role (admins)")
    @PutMapping("/{id}/role")
    UserSummary changeRole(@PathVariable UUID id, @Valid @RequestBody ChangeRoleRequest request,
                           @AuthenticationPrincipal Actor actor) {
        commands.sendAndWait(new ChangeUserRole(new UserId(id), request.role(), actor.userId()));
        return find(new UserId(id));
    }

    @Operation(operationId = "disableUser", summary = "Disable a user and end their sessions (admins)")
    @PostMapping("/{id}/disable")
    UserSummary disable(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        commands.sendAndWait(new DisableUser(new UserId(id), actor.userId()));
        return find(new UserId(id));
    }

    @Operation(operationId = "enableUser", summary = "Enable a disabled user (admins)")
    @PostMapping("/{id}/enable")
    UserSummary enable(@PathVariable UUID id) {
        commands.sendAndWait(new EnableUser(new UserId(id)));
        return find(new UserId(id));
    }

    /** An administrator sets a user's password; all the user's login sessions are revoked. */
    @Operation(operationId = "resetUserPassword", summary = "Set a user's password; all their sessions end (admins)")
    @ApiResponse(responseCode = "204", description = "The password is set")
    @PostMapping("/{id}/password")
    ResponseEntity<Void> resetPassword(@PathVariable UUID id, @Valid @RequestBody ResetPasswordRequest request,
                                       @AuthenticationPrincipal Actor actor) {
        UserSummary user = find(new UserId(id));
        accounts.resetPassword(new UserId(id), user.username(), request.newPassword(), actor.userId());
        return ResponseEntity.noContent().build();
    }

    private UserSummary find(UserId userId) {
        return queries.query(new FindUser(userId), ResponseTypes.optionalInstanceOf(UserSummary.class)).join()
                .orElseThrow(() -> CommandRejected.notFound("no user " + userId));
    }
}
