package io.tokenledger.app.security;

import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import io.tokenledger.query.credential.Credential;
import io.tokenledger.query.credential.CredentialLookup;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one definition of whether a presented token is active: well-formed with a valid checksum (no lookup
 * otherwise), known, neither revoked nor expired (a token rotated with a grace period counts as active until the grace
 * ends: {@link Credential#isValidAt}), its owner enabled, and, for a login session's token, not idle.
 * Authentication of a request and introspection for a resource server both ask here.
 */
@Component
class TokenCheck {
    private final CredentialLookup credentials;
    private final IdleSessions idleSessions;
    private final Clock clock;

    TokenCheck(CredentialLookup credentials, IdleSessions idleSessions, Clock clock) {
        this.credentials = credentials;
        this.idleSessions = idleSessions;
        this.clock = clock;
    }

    /**
     * What a presented token is.
     *
     * @param secret the token if it was well-formed
     * @param found  its credential if it is known, active or not
     * @param active its credential if it is active
     * @param idle   whether it is a login session refused for being idle
     */
    record Result(Optional<TokenSecret> secret, Optional<Credential> found, Optional<Credential> active,
                  boolean idle) {
    }

    /**
     * Checks a presented token.
     *
     * @throws org.springframework.dao.DataAccessException when the token is not cached and the database is out of
     *                                                     reach: nothing is known about it
     */
    Result check(String presented) {
        Optional<TokenSecret> secret = TokenSecret.parse(presented);
        Optional<Credential> found = secret.flatMap(s -> credentials.find(s.hash()));
        Optional<Credential> active = found.filter(c -> c.isValidAt(clock.instant()));
        boolean idle = false;
        if (active.isPresent() && active.get().kind() == TokenKind.TEMPORARY
                && idleSessions.idle(active.get().tokenId())) {
            active = Optional.empty();
            idle = true;
        }
        return new Result(secret, found, active, idle);
    }
}
