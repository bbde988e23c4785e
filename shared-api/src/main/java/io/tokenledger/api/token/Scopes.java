package io.tokenledger.api.token;

import io.tokenledger.api.CommandRejected;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scopes a token carries. Two are built in: {@value #API}, everything the owner's role allows on Token Ledger's
 * API (the default, so clients written before scopes keep working), and {@value #READ_API}, its reads only (GET and
 * HEAD). Platform scopes, registered by admins, grant nothing on Token Ledger itself: resource servers learn them by
 * introspection.
 */
public final class Scopes {
    /** Everything the owner's role allows on Token Ledger's API. */
    public static final String API = "api";
    /** Only reads (GET and HEAD) of what the owner's role allows. */
    public static final String READ_API = "read_api";
    /** The built-in scopes. */
    public static final List<String> BUILT_IN = List.of(API, READ_API);
    /** The scopes of a token created without any, and of every token stored before tokens had scopes. */
    public static final List<String> DEFAULT = List.of(API);
    /** What a scope's name looks like. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    /** Most scopes one token may carry. */
    public static final int MAX_PER_TOKEN = 32;

    private Scopes() {
    }

    /** The scopes as stored: {@link #DEFAULT} for none (events stored before scopes existed). */
    public static List<String> orDefault(List<String> scopes) {
        return scopes == null || scopes.isEmpty() ? DEFAULT : List.copyOf(scopes);
    }

    /**
     * Requested scopes in canonical form: each once, in the order given; null means the default.
     *
     * @throws CommandRejected invalid (field {@code scopes}) for an empty list, a malformed name or too many
     */
    public static List<String> requested(List<String> scopes) {
        if (scopes == null) {
            return DEFAULT;
        }
        if (scopes.isEmpty()) {
            throw CommandRejected.invalid("scopes", "must name at least one scope");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (scope == null || !NAME.matcher(scope).matches()) {
                throw CommandRejected.invalid("scopes", "'" + printable(scope) + "' is not a scope name");
            }
            unique.add(scope);
        }
        if (unique.size() > MAX_PER_TOKEN) {
            throw CommandRejected.invalid("scopes", "a token carries at most " + MAX_PER_TOKEN + " scopes");
        }
        return List.copyOf(new ArrayList<>(unique));
    }

    /** The platform scopes among these: those that are not built in. */
    public static List<String> platform(List<String> scopes) {
        return scopes.stream().filter(s -> !BUILT_IN.contains(s)).toList();
    }

    /** Whether a token with these scopes may make a request with this HTTP method on Token Ledger's API. */
    public static boolean allow(List<String> scopes, String method) {
        if (scopes.contains(API)) {
            return true;
        }
        return scopes.contains(READ_API) && ("GET".equals(method) || "HEAD".equals(method));
    }

    /** The scopes as RFC 6749 writes them: separated by spaces. */
    public static String joined(List<String> scopes) {
        return String.join(" ", scopes);
    }

    private static String printable(String scope) {
        if (scope == null) {
            return "null";
        }
        String cut = scope.length() > 70 ? scope.substring(0, 70) + "…" : scope;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * Leaves the default out of an event's JSON: events stored before tokens had scopes have none, read as the
     * default, and so are written back byte for byte (a Jackson {@code JsonInclude} value filter: equal means left
     * out).
     */
    public static final class DefaultFilter {
        @Override
        public boolean equals(Object value) {
            return value == null || DEFAULT.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
