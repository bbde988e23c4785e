-- Webhook endpoints registered by admins. The signing secret is kept encrypted (AES-256-GCM, key outside the
-- database: docs/decisions.md, "Webhook signing secrets"), as the server must sign with it; the plaintext is shown
-- once, in the answer that created or rotated it. After a rotation the previous secret also signs until
-- previous_secret_until.
CREATE TABLE webhook_endpoint (
    id                    UUID          PRIMARY KEY,
    url                   VARCHAR(2000) NOT NULL,
    events                VARCHAR(1000) NOT NULL,
    description           VARCHAR(500),
    status                VARCHAR(16)   NOT NULL,
    secret                BYTEA         NOT NULL,
    previous_secret       BYTEA,
    previous_secret_until TIMESTAMP WITH TIME ZONE,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by            UUID,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    -- when the endpoint's current run of failed attempts began; null while its last attempt succeeded
    failing_since         TIMESTAMP WITH TIME ZONE,
    disabled_reason       VARCHAR(200)
);
CREATE INDEX webhook_endpoint_created ON webhook_endpoint (created_at DESC, id);

-- The webhook outbox: one row per (endpoint, event), written by the webhooks processor in the transaction that
-- stores its position, delivered by the webhook sender. The body is fixed when queued; each attempt is signed anew.
CREATE TABLE webhook_delivery (
    id               UUID          PRIMARY KEY,
    endpoint_id      UUID          NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    event_id         VARCHAR(100)  NOT NULL,
    type             VARCHAR(64)   NOT NULL,
    body             TEXT          NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    attempts         INTEGER       NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error       VARCHAR(500),
    last_attempt_at  TIMESTAMP WITH TIME ZONE,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at          TIMESTAMP WITH TIME ZONE,
    CONSTRAINT webhook_delivery_once UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, created_at DESC, id);

-- The webhooks processor's own directory of permanent tokens and users, so a payload names the token and its owner
-- as they were at that point of the event stream. Never a hash.
CREATE TABLE webhook_token (
    token_id   UUID         PRIMARY KEY,
    user_id    UUID         NOT NULL,
    name       VARCHAR(400) NOT NULL,
    hint       VARCHAR(16),
    expires_at TIMESTAMP WITH TIME ZONE,
    scopes     TEXT[]       NOT NULL DEFAULT '{api}'
);
-- The clients (resource servers) as client.* payloads name them.
CREATE TABLE webhook_client (
    id        UUID         PRIMARY KEY,
    client_id VARCHAR(200) NOT NULL,
    name      VARCHAR(400) NOT NULL
);
CREATE TABLE webhook_user (
    user_id  UUID        PRIMARY KEY,
    username VARCHAR(64) NOT NULL
);

-- A fault need not be about a token: a webhook endpoint disabled after failing for a day is one too.
ALTER TABLE fault ALTER COLUMN token_id DROP NOT NULL;
ALTER TABLE fault ALTER COLUMN token_name DROP NOT NULL;
ALTER TABLE fault ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE fault ALTER COLUMN username DROP NOT NULL;
ALTER TABLE fault ALTER COLUMN days_before DROP NOT NULL;
ALTER TABLE fault ALTER COLUMN expires_at DROP NOT NULL;
ALTER TABLE fault ADD COLUMN webhook_id UUID;
ALTER TABLE fault ADD COLUMN detail VARCHAR(500);
