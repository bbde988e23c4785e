package io.tokenledger.api.token;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PrintableText;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one definition of what a permanent token's description and tags may be. A description is at most
 * {@value #MAX_DESCRIPTION_LENGTH} printable characters ({@link PrintableText}), stripped; blank means none. A tag is
 * a label of 1 to {@value #MAX_TAG_LENGTH} characters of {@code [a-z0-9._-]} starting with a letter or digit, taken in
 * lower case; a token has at most {@value #MAX_TAGS} distinct tags, in the order first given.
 */
public final class TokenLabels {
    /** Longest description, in characters (code points). */
    public static final int MAX_DESCRIPTION_LENGTH = 500;
    /** Most tags on one token. */
    public static final int MAX_TAGS = 10;
    /** Longest tag. */
    public static final int MAX_TAG_LENGTH = 40;
    /** What a tag looks like, once in lower case. */
    public static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (MAX_TAG_LENGTH - 1) + "}");

    private TokenLabels() {
    }

    /** The description as stored: stripped, null when blank or null; invalid text is refused (field description). */
    public static String description(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String stripped = text.strip();
        if (stripped.codePointCount(0, stripped.length()) > MAX_DESCRIPTION_LENGTH) {
            throw CommandRejected.invalid("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        if (!PrintableText.isPrintable(stripped)) {
            throw CommandRejected.invalid("description", "must contain printable characters only");
        }
        return stripped;
    }

    /** The tags as stored: stripped, lower case, duplicates dropped (first kept); null means none. */
    public static List<String> tags(List<String> given) {
        if (given == null) {
            return List.of();
        }
        Set<String> tags = new LinkedHashSet<>();
        for (String tag : given) {
            String normal = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
            if (!TAG.matcher(normal).matches()) {
                throw CommandRejected.invalid("tags", "each tag must be 1 to " + MAX_TAG_LENGTH
                        + " characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
            }
            tags.add(normal);
        }
        if (tags.size() > MAX_TAGS) {
            throw CommandRejected.invalid("tags", "must be at most " + MAX_TAGS + " distinct tags");
        }
        return List.copyOf(tags);
    }

    /** A tag to filter by, as stored, or null when the text cannot be a tag at all. */
    public static String tagFilter(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return text.strip().toLowerCase(Locale.ROOT);
    }
}
