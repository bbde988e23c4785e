package io.tokenledger.command.token;

import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.RotateToken;
import io.tokenledger.api.token.TokenState;
import io.tokenledger.command.CommandRole;
import io.tokenledger.command.expiry.ExpiryWarnings;
import io.tokenledger.command.scope.ScopeCatalog;
import io.tokenledger.command.settings.CurrentSettings;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * The commands that bring a permanent token into being. Each answers with the new token as its creation left it,
 * so the caller answers its client without reading it back. Rotation touches two tokens, the old and its
 * successor, in one unit of work and one transaction.
 */
@Component
@CommandRole
class NewPermanentTokens {
    private final Repository<Token> tokens;

    NewPermanentTokens(Repository<Token> tokens) {
        this.tokens = tokens;
    }

    @CommandHandler
    public TokenState handle(CreatePermanentToken command, TokenOwners owners, TokenNameClaims names,
                             DeadlineManager deadlines, CurrentSettings settings, ExpiryWarnings warnings,
                             ScopeCatalog scopes) throws Exception {
        return tokens.newInstance(() -> new Token(command, null, owners, names, deadlines, settings, warnings,
                scopes)).invoke(Token::state);
    }

    @CommandHandler
    public TokenState handle(RotateToken command, TokenOwners owners, TokenNameClaims names, DeadlineManager deadlines,
                             CurrentSettings settings, ExpiryWarnings warnings, ScopeCatalog scopes)
            throws Exception {
        var successor = tokens.load(command.tokenId().toString()).invoke(old -> old.rotate(command, names, warnings, deadlines));
        return tokens.newInstance(() -> new Token(successor, command.tokenId(), owners, names, deadlines, settings,
                warnings, scopes)).invoke(Token::state);
    }
}
