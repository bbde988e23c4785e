package io.tokenledger.api;

/**
 * Whether text a person gave (a token name, a display name, a revocation reason) can be stored and shown as it is:
 * no control, format, private-use or unassigned characters, no lone surrogate, no line or paragraph separator.
 * Among them NUL and lone surrogates, which PostgreSQL refuses in text and JSON, and would stop every projection
 * that stores the event.
 */
public final class PrintableText {

    private PrintableText() {
    }

    public static boolean isPrintable(String text) {
        return text.codePoints().allMatch(PrintableText::isPrintable);
    }

    /**
     * Text nobody vouches for (a client's user agent) made storable: at most {@code maxCodePoints} code points, each
     * character that is not printable replaced by {@code ?}, surrounding blanks removed; null stays null.
     */
    public static String sanitized(String text, int maxCodePoints) {
        if (text == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder(Math.min(text.length(), maxCodePoints));
        text.codePoints().limit(maxCodePoints)
                .forEach(cp -> kept.appendCodePoint(isPrintable(cp) ? cp : '?'));
        return kept.toString().strip();
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE && type != Character.SURROGATE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }
}
