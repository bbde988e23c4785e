package io.tokenledger.app.roles;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an instance runs ({@code tokenledger.roles}): {@code command} (aggregates, deadlines: expiry warnings
 * and expiries, and writes), {@code query} (projections and reads, the console's pages), {@code notifier}
 * (faults and e-mails).
 * Every instance authenticates, keeps its own live processor and reports health and metrics.
 */
public enum Roles {
    COMMAND, QUERY, NOTIFIER;

    /** The property and its default. */
    public static final String PROPERTY = "tokenledger.roles";
    public static final String ALL = "command,query,notifier";

    /** Parses a comma-separated list, refusing anything else at start-up with a message that says what is allowed. */
    public static Set<Roles> parse(String value) {
        Set<Roles> roles = EnumSet.noneOf(Roles.class);
        for (String part : value.split(",")) {
            String name = part.strip().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                roles.add(valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(PROPERTY + " has an unknown role '" + part.strip() + "'; the roles are "
                        + Arrays.stream(values()).map(Roles::label).collect(Collectors.joining(", ")));
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalStateException(PROPERTY + " names no role; give one or more of " + ALL);
        }
        return roles;
    }

    /** The role as configuration writes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
