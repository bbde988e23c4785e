-- Clients: the resource servers that introspect and revoke tokens with a client id and secret. Only the SHA-256 of
-- a secret is stored, as for tokens. version is the sequence number of the client's last event applied.
CREATE TABLE client_view (
    id          UUID         PRIMARY KEY,
    client_id   VARCHAR(100) NOT NULL UNIQUE,
    name        VARCHAR(400) NOT NULL,
    secret_hash CHAR(64)     NOT NULL,
    hint        VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  UUID,
    enabled     BOOLEAN      NOT NULL,
    version     BIGINT       NOT NULL
);
CREATE INDEX client_view_created ON client_view (created_at);

-- A client's last use (an introspection or revocation it authenticated), telemetry like token_usage: written off
-- the request path, at most once per client per interval, and kept out of client_view so a rebuild keeps it.
CREATE TABLE client_usage (
    client_id    UUID PRIMARY KEY,
    last_used_at TIMESTAMP WITH TIME ZONE NOT NULL
);
