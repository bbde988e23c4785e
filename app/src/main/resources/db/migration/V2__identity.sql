-- Command side: set validation for usernames, written in the same transaction as RegisterUser.
CREATE TABLE username_claim (
    username_key VARCHAR(64) PRIMARY KEY,
    user_id      UUID        NOT NULL
);

-- Read side: users.
CREATE TABLE user_view (
    id            UUID         PRIMARY KEY,
    username      VARCHAR(64)  NOT NULL,
    email         VARCHAR(254) NOT NULL,
    display_name  VARCHAR(100) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    enabled       BOOLEAN      NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX user_view_username ON user_view (lower(username));
CREATE INDEX user_view_role ON user_view (role);

-- Read side: the authentication lookup, by SHA-256 of the token. Never the plaintext.
CREATE TABLE credential_user (
    user_id  UUID        PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    role     VARCHAR(16) NOT NULL,
    enabled  BOOLEAN     NOT NULL
);

CREATE TABLE credential (
    token_id   UUID     PRIMARY KEY,
    token_hash CHAR(64) NOT NULL UNIQUE,
    kind       VARCHAR(16) NOT NULL,
    user_id    UUID     NOT NULL,
    status     VARCHAR(16) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX credential_user_id ON credential (user_id);
