package io.tokenledger.app.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.app.web.Problems;
import io.tokenledger.notifier.ConsoleAddress;
import io.tokenledger.query.client.ClientQueries;
import io.tokenledger.query.credential.Credential;
import io.tokenledger.query.scope.ScopeQueries;
import io.tokenledger.query.token.TokenUsageRecorder;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * OAuth 2.0 for the platform's other services (resource servers), registered as clients: token introspection
 * (RFC 7662), token revocation (RFC 7009) and the authorization server metadata that points at both (RFC 8414). A
 * client authenticates with its client id and secret, by HTTP Basic or form fields. Introspection answers
 * {@code {"active": false}} and nothing else for any token that is not active, whatever the reason; an active
 * answer counts as a use of the token, recorded with the client.
 */
@Tag(name = "OAuth")
@RestController
class OAuthController {
    static final String INTROSPECT = "/api/oauth/introspect";
    static final String REVOKE = "/api/oauth/revoke";
    static final String METADATA = "/.well-known/oauth-authorization-server";
    private static final Logger log = LoggerFactory.getLogger(OAuthController.class);

    private final TokenCheck tokens;
    private final ClientQueries clients;
    private final ScopeQueries scopes;
    private final TokenUsageRecorder usage;
    private final CommandGateway commands;
    private final String issuer;

    OAuthController(TokenCheck tokens, ClientQueries clients, ScopeQueries scopes, TokenUsageRecorder usage,
                    CommandGateway commands, TokenLedgerProperties properties, ConsoleAddress console) {
        this.tokens = tokens;
        this.clients = clients;
        this.scopes = scopes;
        this.usage = usage;
        this.commands = commands;
        this.issuer = properties.issuer(console.consoleUrl());
    }

    /** The form of introspection and revocation (documentation only: the controller reads the fields itself). */
    @Schema(name = "OAuthTokenForm")
    record TokenForm(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200,
                             description = "The token asked about") String token,
                     @Schema(name = "token_type_hint", maxLength = 50, description = "Ignored") String tokenTypeHint,
                     @Schema(name = "client_id", maxLength = 100,
                             description = "With client_secret, instead of HTTP Basic") String clientId,
                     @Schema(name = "client_secret", maxLength = 200) String clientSecret) {
    }

    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE, schema = @Schema(implementation = TokenForm.class)))
    @Operation(operationId = "introspectToken", summary = "Token introspection (RFC 7662)", description = "Form fields token (and token_type_hint, "
            + "ignored); client authentication by HTTP Basic or client_id and client_secret form fields. Answers "
            + "{active, scope, username, sub, token_type, exp, iat, jti, iss} for an active token, {active: false} "
            + "for any other; 401 {error: invalid_client} for a bad client.")
    @PostMapping(path = INTROSPECT, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> introspect(HttpServletRequest request) {
        Object client = authenticate(request);
        if (client instanceof ResponseEntity<?> refusal) {
            return cast(refusal);
        }
        ClientQueries.AuthenticatedClient caller = (ClientQueries.AuthenticatedClient) client;
        String presented = request.getParameter("token");
        if (presented == null || presented.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "the form field 'token' is required");
        }
        Optional<Credential> active = tokens.check(presented.strip()).active();
        if (active.isEmpty()) {
            return answer(Map.of("active", false));
        }
        Credential c = active.get();
        usage.record(c, request.getRemoteAddr(), request.getHeader("User-Agent"), caller.clientId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        body.put("scope", Scopes.joined(c.scopes()));
        body.put("username", c.username());
        body.put("sub", c.userId().toString());
        body.put("token_type", "Bearer");
        body.put("exp", c.endsAt().getEpochSecond());
        if (c.createdAt() != null) {
            body.put("iat", c.createdAt().getEpochSecond());
        }
        body.put("jti", c.tokenId().toString());
        body.put("iss", issuer);
        return answer(body);
    }

    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE, schema = @Schema(implementation = TokenForm.class)))
    @ApiResponse(responseCode = "200", description = "Done, whatever the token was", content = @Content)
    @Operation(operationId = "revokeTokenByClient", summary = "Token revocation (RFC 7009)", description = "Form field token; client authentication as "
            + "for introspection. 200 whatever the token was; an active one is revoked (reason CLIENT_REVOKED).")
    @PostMapping(path = REVOKE, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Map<String, Object>> revoke(HttpServletRequest request) {
        Object client = authenticate(request);
        if (client instanceof ResponseEntity<?> refusal) {
            return cast(refusal);
        }
        ClientQueries.AuthenticatedClient caller = (ClientQueries.AuthenticatedClient) client;
        String presented = request.getParameter("token");
        if (presented == null || presented.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "the form field 'token' is required");
        }
        tokens.check(presented.strip()).active().ifPresent(c -> {
            commands.sendAndWait(new RevokeToken(c.tokenId(), null, RevokeToken.CLIENT_REVOKED));
            log.info("Token {} revoked by client {}", c.tokenId(), caller.clientId());
        });
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).build();
    }

    @Operation(operationId = "getAuthorizationServerMetadata", summary = "Authorization server metadata (RFC 8414)")
    @GetMapping(path = METADATA, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> metadata() {
        List<String> methods = List.of("client_secret_basic", "client_secret_post");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", issuer);
        body.put("introspection_endpoint", issuer + INTROSPECT);
        body.put("introspection_endpoint_auth_methods_supported", methods);
        body.put("revocation_endpoint", issuer + REVOKE);
        body.put("revocation_endpoint_auth_methods_supported", methods);
        body.put("scopes_supported", scopes.names());
        body.put("response_types_supported", List.of());
        body.put("grant_types_supported", List.of());
        body.put("service_documentation", issuer + "/swagger-ui.html");
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(body);
    }

    /** The authenticated client, or the refusal to answer with. */
    private Object authenticate(HttpServletRequest request) {
        ClientCredentials.Presented presented = ClientCredentials.of(request);
        if (presented.problem() == ClientCredentials.Problem.AMBIGUOUS) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request",
                    "authenticate the client one way: HTTP Basic or the client_id and client_secret form fields");
        }
        Optional<ClientQueries.AuthenticatedClient> client = presented.credentials() == null ? Optional.empty()
                : clients.authenticate(presented.credentials().clientId(), presented.credentials().secret());
        if (client.isEmpty()) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"tokenledger\"")
                    .cacheControl(CacheControl.noStore()).contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("error", "invalid_client"));
        }
        usage.recordClient(client.get().id().value());
        return client.get();
    }

    private static ResponseEntity<Map<String, Object>> answer(Map<String, Object> body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header(HttpHeaders.PRAGMA, "no-cache")
                .contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String description) {
        return ResponseEntity.status(status).cacheControl(CacheControl.noStore()).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", error, "error_description", description));
    }

    @SuppressWarnings("unchecked")
    private static ResponseEntity<Map<String, Object>> cast(ResponseEntity<?> response) {
        return (ResponseEntity<Map<String, Object>>) response;
    }
}
