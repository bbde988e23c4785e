-- Command side: set validation for token names among an owner's active permanent tokens.
CREATE TABLE token_name_claim (
    owner_id UUID         NOT NULL,
    name_key VARCHAR(400) NOT NULL,
    token_id UUID         NOT NULL UNIQUE,
    PRIMARY KEY (owner_id, name_key)
);

-- Command side: active tokens per user, for revoking them all when the user is disabled.
CREATE TABLE active_token_of_user (
    token_id UUID PRIMARY KEY,
    user_id  UUID NOT NULL
);
CREATE INDEX active_token_of_user_user ON active_token_of_user (user_id);

-- Read side: the token inventory (Tokens tab, User Tokens tab). Never a secret: hash-free, hint only.
CREATE TABLE token_owner (
    user_id  UUID        PRIMARY KEY,
    username VARCHAR(64) NOT NULL
);

CREATE TABLE token_view (
    id            UUID         PRIMARY KEY,
    kind          VARCHAR(16)  NOT NULL,
    name          VARCHAR(400) NOT NULL,
    hint          VARCHAR(16)  NOT NULL,
    user_id       UUID         NOT NULL,
    username      VARCHAR(64)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    UUID,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    last_used_ip  VARCHAR(64),
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    revoked_by    UUID,
    revoke_reason VARCHAR(200),
    replaced_by   UUID
);
CREATE INDEX token_view_user ON token_view (user_id, created_at);
CREATE INDEX token_view_status_expiry ON token_view (status, expires_at);
CREATE INDEX token_view_kind ON token_view (kind, created_at);
CREATE INDEX token_view_expires ON token_view (expires_at);
CREATE INDEX token_view_created ON token_view (created_at);
CREATE INDEX token_view_name ON token_view (lower(name));
