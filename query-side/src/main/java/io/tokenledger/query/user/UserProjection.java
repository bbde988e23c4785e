package io.tokenledger.query.user;

import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserPasswordChanged;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.api.user.UserRoleChanged;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/** Keeps {@code user_view} in step with the User events. */
@Component
@ProcessingGroup(UserProjection.GROUP)
class UserProjection {
    static final String GROUP = "users";

    private final UserViewRepository users;

    UserProjection(UserViewRepository users) {
        this.users = users;
    }

    @EventHandler
    void on(UserRegistered event, @Timestamp Instant at) {
        if (!users.existsById(event.userId().value())) {
            users.save(new UserView(event.userId().value(), event.username(), event.email(), event.displayName(),
                    event.role(), event.passwordHash(), at));
        }
    }

    @EventHandler
    void on(UserRoleChanged event, @Timestamp Instant at) {
        users.findById(event.userId().value()).ifPresent(u -> u.changeRole(event.to(), at));
    }

    @EventHandler
    void on(UserDisabled event, @Timestamp Instant at) {
        users.findById(event.userId().value()).ifPresent(u -> u.enable(false, at));
    }

    @EventHandler
    void on(UserEnabled event, @Timestamp Instant at) {
        users.findById(event.userId().value()).ifPresent(u -> u.enable(true, at));
    }

    @EventHandler
    void on(UserPasswordChanged event, @Timestamp Instant at) {
        users.findById(event.userId().value()).ifPresent(u -> u.changePassword(event.passwordHash(), at));
    }

    @ResetHandler
    void reset() {
        users.deleteAllInBatch();
    }
}
