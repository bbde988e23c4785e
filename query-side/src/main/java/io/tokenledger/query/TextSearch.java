package io.tokenledger.query;

/**
 * A search of a text column for what a user typed, case-insensitively, as a SQL {@code LIKE}: every search built
 * from user input goes through here, so a {@code %} or {@code _} typed is that character, never a wildcard.
 */
public final class TextSearch {
    private TextSearch() {
    }

    /**
     * The condition: the column contains the parameter's text. Both sides are lowered by the database, so a name
     * is found by its text as written whatever its letters (Java and PostgreSQL lower {@code İ}, for one, apart).
     */
    public static String contains(String column, String parameter) {
        return "lower(" + column + ") LIKE lower(:" + parameter + ") ESCAPE '\\'";
    }

    /** The parameter's value for {@link #contains}: the text stripped, {@code \}, {@code %} and {@code _} escaped. */
    public static String containing(String text) {
        return "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
