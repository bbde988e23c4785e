package io.tokenledger.api.token;

/** Permanent tokens are created by admins for automation; temporary ones live for a login session. */
public enum TokenKind {
    PERMANENT("tlp_"), TEMPORARY("tlt_");

    private final String prefix;

    TokenKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    static TokenKind ofPrefix(String token) {
        for (TokenKind kind : values()) {
            if (token.startsWith(kind.prefix)) {
                return kind;
            }
        }
        return null;
    }
}
