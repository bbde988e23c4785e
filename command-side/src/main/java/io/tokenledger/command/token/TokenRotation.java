package io.tokenledger.command.token;

import io.tokenledger.api.token.RotateToken;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.expiry.ExpiryWarnings;
import io.tokenledger.command.scope.ScopeCatalog;
import io.tokenledger.command.settings.CurrentSettings;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** Rotation touches two tokens, the old and its successor, in one unit of work and one transaction. */
@Component
@CommandRole
class TokenRotation {
    private final Repository<Token> tokens;

    TokenRotation(Repository<Token> tokens) {
        this.tokens = tokens;
    }

    @CommandHandler
    public void handle(RotateToken command, TokenNameClaims names, DeadlineManager deadlines, CurrentSettings settings,
                       ExpiryWarnings warnings, ScopeCatalog scopes) throws Exception {
        var successor = tokens.load(command.tokenId().toString()).invoke(old -> old.rotate(command, names, warnings));
        tokens.newInstance(() -> new Token(successor, command.tokenId(), names, deadlines, settings, warnings,
                scopes));
    }
}
