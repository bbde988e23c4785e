package io.tokenledger.api.token;

import io.tokenledger.api.CommandRejected;
import java.time.Instant;
import java.util.UUID;

/**
 * Which tokens a list or a bulk revoke is about; null means "any". {@code unusedForDays} selects tokens not used for
 * that many days: last used that long ago or longer, or never used and created that long ago or longer.
 */
public record TokenSelection(UUID userId, TokenKind kind, String scope, String tag, String q, Instant createdBefore,
                             Integer unusedForDays) {
    /** Most days {@code unusedForDays} may name (ten years). */
    public static final int MAX_UNUSED_DAYS = 3650;
    /** Longest text filter ({@code scope}, {@code tag}, {@code q}). */
    public static final int MAX_TEXT = 200;
    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public TokenSelection {
        scope = blankToNull(scope);
        tag = TokenLabels.tagFilter(tag);
        q = blankToNull(q);
    }

    /** Whether nothing is selected by, i.e. every token matches. */
    public boolean isEmpty() {
        return userId == null && kind == null && scope == null && tag == null && q == null && createdBefore == null
                && unusedForDays == null;
    }

    /** This selection, if every value is one a query can use; a bad one is refused naming {@code prefix + field}. */
    public TokenSelection checked(String prefix) {
        if (unusedForDays != null && (unusedForDays < 1 || unusedForDays > MAX_UNUSED_DAYS)) {
            throw CommandRejected.invalid(prefix + "unusedForDays", "must be between 1 and " + MAX_UNUSED_DAYS);
        }
        if (createdBefore != null && (createdBefore.isBefore(MIN) || createdBefore.isAfter(MAX))) {
            throw CommandRejected.invalid(prefix + "createdBefore", "must be between the years 1 and 9999");
        }
        checkLength(prefix + "scope", scope);
        checkLength(prefix + "tag", tag);
        checkLength(prefix + "q", q);
        return this;
    }

    private static void checkLength(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw CommandRejected.invalid(field, "must be at most " + MAX_TEXT + " characters");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
