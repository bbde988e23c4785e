package io.tokenledger.app.security;

import io.tokenledger.api.Actor;
import io.tokenledger.api.token.TokenSecret;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by a token; the principal is the {@link Actor}, the credentials the masked secret. */
class TokenAuthentication extends AbstractAuthenticationToken {
    private final Actor actor;
    private final transient TokenSecret secret;
    private final boolean fromCookie;

    TokenAuthentication(Actor actor, List<String> scopes, TokenSecret secret, boolean fromCookie) {
        super(authorities(actor, scopes));
        this.actor = actor;
        this.secret = secret;
        this.fromCookie = fromCookie;
        setAuthenticated(true);
    }

    /** The role, and each scope as {@code SCOPE_<name>} (Spring Security's convention). */
    private static List<GrantedAuthority> authorities(Actor actor, List<String> scopes) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_" + actor.role().name()));
        scopes.forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
        return authorities;
    }

    @Override
    public Actor getPrincipal() {
        return actor;
    }

    @Override
    public TokenSecret getCredentials() {
        return secret;
    }

    /** Whether the token came in the console's session cookie rather than an Authorization header. */
    boolean isFromCookie() {
        return fromCookie;
    }

    @Override
    public String getName() {
        return actor.username();
    }

    @Override
    public String toString() {
        return "TokenAuthentication[" + actor.username() + ", " + actor.role() + ", token " + actor.tokenId() + "]";
    }
}
