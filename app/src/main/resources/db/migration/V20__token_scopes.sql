-- Tokens carry scopes. Every token stored before carries the built-in 'api' (everything its owner's role allows),
-- as its events, which have no scopes, read.

-- Command side: the platform scopes registered now (tokens may carry only these and the built-in ones), and the
-- scopes of each active token (a scope an active token carries is not deleted).
CREATE TABLE platform_scope (
    name VARCHAR(64) PRIMARY KEY
);
ALTER TABLE active_token_of_user ADD COLUMN scopes TEXT[] NOT NULL DEFAULT '{api}';
CREATE INDEX active_token_of_user_scopes ON active_token_of_user USING gin (scopes);

-- Read side: the registered platform scopes as GET /api/scopes lists them; the token inventory and the
-- authentication lookup with each token's scopes. A deleted scope keeps its row, marked, with the sequence number
-- of the scope's last event applied (version), so an older event applied again cannot bring it back.
CREATE TABLE scope_view (
    name        VARCHAR(64)   PRIMARY KEY,
    description VARCHAR(2000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  UUID,
    deleted     BOOLEAN       NOT NULL,
    version     BIGINT        NOT NULL
);
ALTER TABLE token_view ADD COLUMN scopes TEXT[] NOT NULL DEFAULT '{api}';
CREATE INDEX token_view_scopes ON token_view USING gin (scopes);
ALTER TABLE credential ADD COLUMN scopes TEXT[] NOT NULL DEFAULT '{api}';
-- When each token was issued, for introspection's iat; the inventory knows it for the tokens stored before.
ALTER TABLE credential ADD COLUMN created_at TIMESTAMP WITH TIME ZONE;
UPDATE credential c SET created_at = v.created_at FROM token_view v WHERE v.id = c.token_id;
