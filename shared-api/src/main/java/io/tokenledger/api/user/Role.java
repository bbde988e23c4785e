package io.tokenledger.api.user;

/** What a user may do: ADMIN everything, AUDITOR every read and the audit, USER their own profile and tokens. */
public enum Role {
    ADMIN, AUDITOR, USER
}
