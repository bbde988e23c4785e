-- Token uses seen by instances without the command role, waiting for one with it to record them:
-- one row per token, the latest use wins.
CREATE TABLE token_use_relay (
    token_id  UUID                     PRIMARY KEY,
    used_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    client_ip VARCHAR(64)
);
