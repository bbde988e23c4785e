package io.tokenledger.query.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * An address a token was used from: the client address, the user agent (cut to 200 characters, printable only;
 * null when the request had none), for an introspection the public id of the client (resource server) that asked,
 * and the first and last use and how many uses were counted.
 */
public record TokenAddressView(String ip, String userAgent,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String client,
                               Instant firstSeenAt, Instant lastSeenAt, long count) {
}
