-- Read side: the global audit log, one row per stored event, as auditors see it (secrets and password
-- hashes withheld from the payload). Free-form metadata is TEXT: a long user agent must never stop the
-- projection. user_id and token_id are the event's subject (payload userId/ownerId and tokenId; token events
-- without an owner inherit it from the token's earlier events), so a user's filter finds their tokens' events.
CREATE TABLE audit_event (
    global_index    BIGINT       PRIMARY KEY,
    event_id        VARCHAR(255) NOT NULL,
    aggregate_id    VARCHAR(255),
    sequence_number BIGINT,
    type            VARCHAR(255) NOT NULL,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_id        TEXT,
    actor_username  TEXT,
    actor_role      TEXT,
    client_ip       TEXT,
    user_agent      TEXT,
    request_id      TEXT,
    correlation_id  TEXT,
    trace_id        TEXT,
    deadline        TEXT,
    user_id         UUID,
    token_id        UUID,
    payload         JSONB        NOT NULL
);
CREATE INDEX audit_event_occurred ON audit_event (occurred_at, global_index);
CREATE INDEX audit_event_type ON audit_event (type, global_index);
CREATE INDEX audit_event_actor ON audit_event (actor_id, global_index);
CREATE INDEX audit_event_user ON audit_event (user_id, global_index);
CREATE INDEX audit_event_token ON audit_event (token_id, global_index);

-- Tamper evidence: a hash chain over the events in the order the audit-chain processor saw them.
-- hash_n = SHA-256(hash_(n-1) || canonical form of event row n), hex; position 1 follows 32 zero bytes.
-- No foreign key to domain_event_entry: a deleted event must stay detectable, not be prevented.
CREATE TABLE audit_chain (
    position     BIGINT   PRIMARY KEY,
    global_index BIGINT   NOT NULL UNIQUE,
    hash         CHAR(64) NOT NULL
);
