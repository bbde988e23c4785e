package io.tokenledger.app.console;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.Scopes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's token form as entered, with the messages a refused creation left next to its fields
 * ({@code name}, {@code expiresAt}, {@code scopes}) or for the whole form ({@code form}).
 */
public record TokenForm(String name, String expiresAt, List<String> scopes, Map<String, String> errors) {

    static TokenForm empty() {
        return new TokenForm("", "", Scopes.DEFAULT, Map.of());
    }

    /**
     * The scopes a posted form asks for: the boxes ticked; none ticked is an empty list (refused: a token carries at
     * least one). A post without the form's scope boxes at all ({@code chosen} absent) asks for the default.
     */
    static List<String> posted(List<String> scopes, String chosen) {
        if (scopes != null) {
            return scopes;
        }
        return chosen == null ? null : List.of();
    }

    /** The same input with the reason it was refused, placed at the field the rule names. */
    TokenForm refusedBy(CommandRejected e) {
        Map<String, String> errors = new LinkedHashMap<>();
        String field = e.field() == null ? "form" : e.field();
        errors.put(field, e.getMessage());
        return new TokenForm(name, expiresAt, scopes == null ? Scopes.DEFAULT : scopes, errors);
    }

    /** Whether this scope's box is ticked. */
    public boolean has(String scope) {
        return scopes != null && scopes.contains(scope);
    }

    /** The earliest expiry the date picker offers: tomorrow, as the server's rule is "after today" (UTC). */
    public String minExpiry() {
        return LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    }
}
