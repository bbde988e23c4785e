package io.tokenledger.app.console;

import io.tokenledger.api.CommandRejected;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's token form as entered, with the messages a refused creation left next to its fields
 * ({@code name}, {@code expiresAt}) or for the whole form ({@code form}).
 */
public record TokenForm(String name, String expiresAt, Map<String, String> errors) {

    static TokenForm empty() {
        return new TokenForm("", "", Map.of());
    }

    /** The same input with the reason it was refused, placed at the field the rule names. */
    TokenForm refusedBy(CommandRejected e) {
        Map<String, String> errors = new LinkedHashMap<>();
        String field = e.field() == null ? "form" : e.field();
        errors.put(field, e.getMessage());
        return new TokenForm(name, expiresAt, errors);
    }

    /** The earliest expiry the date picker offers: tomorrow, as the server's rule is "after today" (UTC). */
    public String minExpiry() {
        return LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
    }
}
