-- Where a token is used: each distinct (client address, user agent, introspecting client) a token was used from,
-- with its first and last use and a count. Telemetry like token_usage, written off the request path by
-- TokenUsageRecorder in batched upserts; the 20 most recent addresses of each token are kept. An absent user agent
-- or client is ''. A row not yet announced is an address the token has not yet been told of (NoteTokenAddress): a
-- command instance tells it, and only then may the row be pruned.
CREATE TABLE token_address (
    token_id      UUID                     NOT NULL,
    ip            VARCHAR(64)              NOT NULL,
    user_agent    VARCHAR(200)             NOT NULL,
    client        VARCHAR(100)             NOT NULL,
    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    use_count     BIGINT                   NOT NULL,
    announced     BOOLEAN                  NOT NULL,
    PRIMARY KEY (token_id, ip, user_agent, client)
);
CREATE INDEX token_address_recent ON token_address (token_id, last_seen_at DESC);
CREATE INDEX token_address_unannounced ON token_address (first_seen_at) WHERE NOT announced;
