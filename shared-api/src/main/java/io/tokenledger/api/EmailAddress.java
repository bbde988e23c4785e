package io.tokenledger.api;

import java.util.regex.Pattern;

/**
 * The one rule for an e-mail address, wherever the product takes one: a user's (a token owner's) address and the
 * App Config's notification addresses alike.
 */
public final class EmailAddress {
    /** Longest address accepted: RFC 5321's limit of a forward path, less its angle brackets. */
    public static final int MAX_LENGTH = 254;
    /**
     * The HTML living standard's e-mail grammar: what users type, without RFC 5322's comments, quoting and address
     * literals. A constant, so that Bean Validation's {@code @Pattern} can use it too.
     */
    public static final String PATTERN = "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]"
            + "(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*";
    /** What a refused address is told. */
    public static final String RULE = "must be an e-mail address such as name@example.com (letters, digits and "
            + ".!#$%&'*+/=?^_`{|}~- before the @, a host name after it)";

    private static final Pattern ADDRESS = Pattern.compile(PATTERN);

    private EmailAddress() {
    }

    /** Whether the text, as given (not stripped), is an address this product accepts. */
    public static boolean isValid(String address) {
        return address != null && address.length() <= MAX_LENGTH && ADDRESS.matcher(address).matches();
    }
}
