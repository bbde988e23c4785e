package io.tokenledger.api.user;

/**
 * What a user is: a person, who logs in with a password, or a service account (the portal's "service account
 * name"), which has no password, never logs in, holds permanent tokens an admin creates for it, and whose e-mail is
 * the contact address its expiry warnings go to.
 */
public enum UserKind {
    PERSON, SERVICE_ACCOUNT;

    /**
     * Leaves {@link #PERSON} out of an event's JSON: events stored before users had kinds have none and read as a
     * person, and so are written back byte for byte (a Jackson {@code JsonInclude} value filter: equal means left out).
     */
    public static final class PersonFilter {
        @Override
        public boolean equals(Object value) {
            return value == null || value == PERSON;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
