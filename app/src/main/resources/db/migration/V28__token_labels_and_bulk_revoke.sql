-- Permanent tokens carry an optional description and up to ten tags (TokenLabels). The inventory filters by tag
-- (an array containment, as by scope) and by the time of last use (token_usage), so both are indexed.
ALTER TABLE token_view ADD COLUMN description VARCHAR(500);
ALTER TABLE token_view ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}';
-- When the labels last changed, so an older change applied again after a newer one leaves the newer one in force.
ALTER TABLE token_view ADD COLUMN described_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX token_view_tags ON token_view USING gin (tags);
CREATE INDEX token_usage_last_used ON token_usage (last_used_at);

-- Bulk revoke jobs (command side). The set of tokens a job revokes is fixed when it starts: one row per token, in
-- the order they are revoked, marked done chunk by chunk in the transaction that revokes them, so a job that is
-- picked up again after a crash resumes at the first token not done. The task that runs a job is a db-scheduler
-- task named after the job.
CREATE TABLE bulk_revoke_job (
    id                    UUID         PRIMARY KEY,
    state                 VARCHAR(16)  NOT NULL,
    reason                VARCHAR(200) NOT NULL,
    filter                TEXT         NOT NULL,
    total                 INTEGER      NOT NULL,
    done                  INTEGER      NOT NULL,
    requested_by          UUID         NOT NULL,
    requested_by_username VARCHAR(100) NOT NULL,
    started_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at           TIMESTAMP WITH TIME ZONE,
    error                 VARCHAR(500)
);
CREATE TABLE bulk_revoke_item (
    job_id   UUID    NOT NULL REFERENCES bulk_revoke_job (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    token_id UUID    NOT NULL,
    done     BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (job_id, position)
);
CREATE INDEX bulk_revoke_item_pending ON bulk_revoke_item (job_id, position) WHERE NOT done;
