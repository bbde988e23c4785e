package io.tokenledger.app.web;

import io.swagger.v3.oas.models.Components;
import io.tokenledger.api.Actor;
import io.tokenledger.api.PageParams;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API document at {@code /v3/api-docs}: the REST API under {@code /api} and the OAuth metadata, never the
 * console's pages. What every operation shares is decided here, in one place: the bearer scheme (or the session
 * cookie with its CSRF header), the one {@code application/problem+json} schema and the error statuses an operation
 * can answer, derived from how the application refuses requests (see {@link ProblemDetailsAdvice}, {@link
 * BodySizeLimit}, the security configuration). Each controller states its own summary, operation id, tag and
 * success status.
 */
@Configuration
class ApiDocument {
    static final String PROBLEM = "Problem";
    static final String OAUTH_ERROR = "OAuthError";
    static final String BEARER = "bearerAuth";
    static final String SESSION_COOKIE = "sessionCookie";
    static final String CSRF_HEADER = "csrfHeader";
    static final String CLIENT_BASIC = "clientBasic";

    /** Operations anyone may call: no bearer token, no session (OAuth clients authenticate themselves). */
    private static final Set<String> PUBLIC = Set.of("login", "introspectToken", "revokeTokenByClient",
            "getAuthorizationServerMetadata", "reportLeakedCredentials");
    /** Public operations that still refuse bad credentials: a wrong password, an unknown OAuth client. */
    private static final Set<String> CREDENTIALS_CHECKED = Set.of("login", "introspectToken", "revokeTokenByClient");
    /** Operations that answer OAuth's own error objects (RFC 6749 section 5.2), not problem details. */
    private static final Set<String> OAUTH_ERRORS = Set.of("introspectToken", "revokeTokenByClient");
    /** Writes that change no resource another write could have changed meanwhile: no 409. */
    private static final Set<String> NO_CONFLICT = Set.of("login", "logout", "changeMyPassword",
            "reportLeakedCredentials", "introspectToken", "revokeTokenByClient");

    private static final Map<String, String> TAGS = new LinkedHashMap<>();

    static {
        TAGS.put("Authentication", "Log in and out, your password, your session's temporary token");
        TAGS.put("Me", "Your own profile");
        TAGS.put("Users", "User accounts and their roles (admins; auditors read)");
        TAGS.put("Tokens", "Permanent and temporary API tokens: create, list, describe, rotate, revoke (also in "
                + "bulk), watch live");
        TAGS.put("Jobs", "Background jobs an API call started (a bulk revoke), and their progress");
        TAGS.put("Scopes", "The scopes a token may be given");
        TAGS.put("Clients", "OAuth clients, the platform's services that introspect and revoke tokens");
        TAGS.put("OAuth", "Token introspection and revocation for OAuth clients, and the server's metadata");
        TAGS.put("Credentials", "Reports of leaked credentials from secret scanners");
        TAGS.put("Settings", "Settings changed at run time (admins; auditors read)");
        TAGS.put("Audit", "The audit log, its verification and each token's and user's history");
        TAGS.put("Faults", "Faults raised by expiring, leaked and reused rotated tokens and failed e-mails");
        TAGS.put("Notifications", "The e-mails the system sent or is sending");
        TAGS.put("Webhooks", "Endpoints that receive signed token and user events, and their deliveries");
        TAGS.put("Projections", "The read models and their replays from the event store (admins)");

        // Types whose Java shape means nothing to a client: a stream is text, a JSON tree is an object.
        SpringDocUtils.getConfig()
                // The caller, resolved from the token: never a parameter of the request.
                .addRequestWrapperToIgnore(Actor.class)
                .replaceWithSchema(SseEmitter.class, new StringSchema().description("A server-sent event stream"))
                .replaceWithSchema(StreamingResponseBody.class,
                        new StringSchema().description("The whole export, streamed"))
                .replaceWithSchema(JsonNode.class, new ObjectSchema())
                .replaceWithSchema(ObjectNode.class, new ObjectSchema())
                .replaceWithSchema(com.fasterxml.jackson.databind.JsonNode.class, new ObjectSchema());
    }

    @Bean
    OpenAPI tokenLedgerApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties != null ? properties.getVersion()
                : String.valueOf(ApiDocument.class.getPackage().getImplementationVersion());
        return new OpenAPI()
                .info(new Info().title("Token Ledger API").version(version)
                        .description("""
                                Issues, tracks and retires API tokens. Every call is authenticated with a bearer \
                                token (`Authorization: Bearer tlt_…`): a permanent token, or the temporary token a \
                                login answers. A browser that logged in carries the same temporary token in the \
                                `tl_session` cookie instead; its writes must then also send the `X-CSRF-TOKEN` \
                                header (the console's pages, which are not part of this API, hold it). Every error \
                                is a problem details object (RFC 9457, `application/problem+json`).""")
                        .contact(new Contact().name("Token Ledger").url("https://github.com/tokenledger")))
                .servers(List.of(new Server().url("/")
                        .description("The server that serves this document, in whichever environment it runs "
                                + "(production, staging or local)")
                        .extensions(Map.of("x-internal", false))))
                .tags(TAGS.entrySet().stream().map(e -> new Tag().name(e.getKey()).description(e.getValue()))
                        .toList())
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("tlt_ token")
                                .description("A permanent token or a login's temporary token"))
                        .addSecuritySchemes(SESSION_COOKIE, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.COOKIE).name("tl_session")
                                .description("The login session's cookie, set by POST /api/auth/login"))
                        .addSecuritySchemes(CLIENT_BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("basic").description("An OAuth client's id and secret (client_secret_basic)"))
                        .addSecuritySchemes(CSRF_HEADER, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-CSRF-TOKEN")
                                .description("The CSRF token, required with the session cookie on every write"))
                        .addHeaders("Retry-After", new Header().description("Seconds to wait before trying again")
                                .schema(new IntegerSchema().minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(86_400)))))
                .security(List.of(new SecurityRequirement().addList(BEARER),
                        new SecurityRequirement().addList(SESSION_COOKIE).addList(CSRF_HEADER)));
    }

    /** RFC 9457 problem details with the members this application adds. */
    static Schema<?> problemSchema() {
        Schema<?> fieldError = new ObjectSchema()
                .addProperty("field", new StringSchema().maxLength(200).description("The field or parameter"))
                .addProperty("message", new StringSchema().maxLength(1000).description("What is wrong with it"))
                .required(List.of("field", "message"));
        return new ObjectSchema()
                .description("A problem details object (RFC 9457)")
                .addProperty("type", new StringSchema().format("uri-reference").maxLength(200)
                        .description("What kind of problem: urn:tokenledger:problem:<name>")
                        .example("urn:tokenledger:problem:validation"))
                .addProperty("title", new StringSchema().maxLength(200).description("The kind's short summary")
                        .example("Bad Request"))
                .addProperty("status", new IntegerSchema().format("int32").minimum(BigDecimal.valueOf(400))
                        .maximum(BigDecimal.valueOf(599)).description("The HTTP status").example(400))
                .addProperty("detail", new StringSchema().maxLength(2000)
                        .description("What went wrong with this request").example("the request has invalid fields"))
                .addProperty("instance", new StringSchema().format("uri-reference").maxLength(2000)
                        .description("The request's path").example("/api/users"))
                .addProperty("errors", new ArraySchema().items(fieldError).maxItems(1000)
                        .description("The invalid fields or parameters, on validation problems"))
                .addProperty("reference", new StringSchema().format("uuid").maxLength(36)
                        .description("The log's reference of an unexpected error (500)"))
                .addProperty("maxBytes", new IntegerSchema().format("int64").minimum(BigDecimal.ZERO)
                        .description("The largest request body accepted (413)"))
                .required(List.of("type", "title", "status"));
    }

    /**
     * The error statuses each operation can answer, each with the shared problem schema, and the security each
     * requires: public operations need none, every other takes the bearer token or the cookie with its CSRF header.
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return api -> {
            // Added here, not with the components above: springdoc rebuilds the schemas from the controllers.
            api.getComponents().addSchemas(PROBLEM, problemSchema()).addSchemas(OAUTH_ERROR, oauthErrorSchema());
            api.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, op) -> describeErrors(path, method, op)));
        };
    }

    private static void describeErrors(String path, PathItem.HttpMethod method, Operation op) {
        boolean isPublic = PUBLIC.contains(op.getOperationId());
        if (OAUTH_ERRORS.contains(op.getOperationId())) {
            // Or client_id and client_secret as form fields (client_secret_post), which OpenAPI has no scheme for.
            op.setSecurity(List.of(new SecurityRequirement().addList(CLIENT_BASIC)));
        } else if (isPublic) {
            op.setSecurity(List.of());
        }
        ApiResponses responses = op.getResponses();
        Map<Integer, String> errors = new TreeMap<>();
        // Any request can be malformed: a header that is no list of media types, a character the firewall refuses.
        errors.put(400, "The request is malformed, or has invalid fields or parameters (see errors)");
        if (CREDENTIALS_CHECKED.contains(op.getOperationId())) {
            errors.put(401, "The credentials are wrong");
        }
        if (!isPublic) {
            errors.put(401, "No valid bearer token or session");
            errors.put(403, method == PathItem.HttpMethod.GET ? "Your role does not allow this"
                    : "Your role does not allow this, or a cookie-authenticated write lacks its CSRF token");
        }
        if (path.contains("{")) {
            errors.put(404, "The addressed resource does not exist (or is not yours to see)");
        }
        if (method != PathItem.HttpMethod.GET && !NO_CONFLICT.contains(op.getOperationId())) {
            errors.put(409, "The resource's state does not allow this, or it was changed concurrently");
        }
        if (op.getRequestBody() != null) {
            errors.put(413, "The request body is larger than the server accepts");
        }
        errors.put(500, "An unexpected error; the problem's reference points to the log");
        errors.put(503, "The database cannot be reached just now; see Retry-After");
        errors.forEach((status, description) -> {
            if (!responses.containsKey(String.valueOf(status))) {
                responses.addApiResponse(String.valueOf(status), new ApiResponse().description(description));
            }
        });
        responses.forEach((code, response) -> {
            int status = Integer.parseInt(code);
            if (status < 400) {
                return;
            }
            if (response.getDescription() == null || response.getDescription().isBlank()) {
                response.setDescription(HttpStatus.valueOf(status).getReasonPhrase());
            }
            if (status == 429 || status == 503) {
                response.addHeaderObject("Retry-After", new Header().$ref("#/components/headers/Retry-After"));
            }
            boolean oauthError = OAUTH_ERRORS.contains(op.getOperationId()) && (status == 400 || status == 401);
            response.setContent(new Content().addMediaType(
                    oauthError ? "application/json" : "application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/"
                            + (oauthError ? OAUTH_ERROR : PROBLEM)))));
        });
    }

    /**
     * The limits every endpoint shares, stated once: the paging parameters as {@link PageParams} checks them, and
     * the length of an identifier or instant, which their formats fix (a UUID is 36 characters).
     */
    @Bean
    OpenApiCustomizer sharedLimits() {
        return api -> {
            api.getPaths().values().forEach(item -> item.readOperations().forEach(op -> {
                if (op.getParameters() == null) {
                    return;
                }
                op.getParameters().forEach(parameter -> {
                    Schema<?> schema = parameter.getSchema();
                    switch (parameter.getIn() + " " + parameter.getName()) {
                        case "query page" -> {
                            parameter.description("The page, from 0");
                            schema.minimum(BigDecimal.ZERO).maximum(BigDecimal.valueOf(Integer.MAX_VALUE));
                        }
                        case "query size" -> {
                            parameter.description("Items per page, " + PageParams.DEFAULT_SIZE + " unless given");
                            schema.minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(PageParams.MAX_SIZE));
                        }
                        case "query sort" -> {
                            parameter.description("field,asc or field,desc");
                            schema.maxLength(64).pattern("^[A-Za-z]+(,(asc|desc))?$");
                        }
                        case "header Accept" -> {
                            // The audit log's one path, answered as a page of JSON or exported whole.
                            @SuppressWarnings("unchecked")
                            Schema<String> accept = (Schema<String>) schema;
                            accept.setEnum(List.of("application/json", "application/x-ndjson", "text/csv"));
                        }
                        default -> {
                        }
                    }
                    formatLimits(schema);
                });
            }));
            api.getComponents().getSchemas().values().forEach(ApiDocument::formatLimits);
        };
    }

    /** A string's length fixed by its format; the schema's properties and items likewise. */
    private static void formatLimits(Schema<?> schema) {
        if (schema == null) {
            return;
        }
        if (schema.getMaxLength() == null && schema.getFormat() != null) {
            switch (schema.getFormat()) {
                case "uuid" -> schema.maxLength(36)
                        .pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
                case "date-time" -> schema.maxLength(35);
                case "date" -> schema.maxLength(10);
                default -> {
                }
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(ApiDocument::formatLimits);
        }
        formatLimits(schema.getItems());
    }

    /** RFC 6749's error object, as the OAuth endpoints answer a bad request or an unknown client. */
    private static Schema<?> oauthErrorSchema() {
        return new ObjectSchema()
                .description("An OAuth error (RFC 6749, section 5.2)")
                .addProperty("error", new StringSchema()._enum(List.of("invalid_request", "invalid_client")))
                .addProperty("error_description", new StringSchema().maxLength(500))
                .required(List.of("error"));
    }
}
