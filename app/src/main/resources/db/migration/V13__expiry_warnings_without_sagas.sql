-- Expiry warnings without a saga per token: each active permanent token's warning plan, written by the Token
-- aggregate in the transaction of the command that changes it, and read by the replan job after a ladder change.
-- The pending warning itself is a db-scheduler task 'token-expiry-warning' whose instance is the token id.
CREATE TABLE expiry_warning (
    token_id            UUID PRIMARY KEY,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    -- fewest days of any warning given so far: thresholds at or above it never fire again
    closest_warned_days INT,
    -- the threshold of the pending warning, if one is pending
    pending_days        INT,
    -- the version of the ladder the pending warning was planned from; the replan job replans any other
    planned_version     BIGINT                   NOT NULL
);
CREATE INDEX expiry_warning_planned_version ON expiry_warning (planned_version);

-- The sagas of the previous version: each running saga is an active permanent token. A warning deadline it has
-- pending keeps its time and becomes the token's task; its plan counts as made from the saga's ladder.
CREATE TEMPORARY TABLE expiry_saga ON COMMIT DROP AS
SELECT (s ->> 'pendingDeadlineId') AS deadline_id, (s -> 'tokenId' ->> 'value')::uuid AS token_id,
       (s ->> 'expiresAt')::timestamptz AS expires_at, (s ->> 'closestWarnedDays')::int AS closest_warned_days,
       (s ->> 'pendingDays')::int AS pending_days, (s ->> 'policyVersion')::bigint AS policy_version
FROM (SELECT convert_from(serialized_saga, 'UTF8')::jsonb AS s FROM saga_entry
      WHERE saga_type = 'io.tokenledger.command.expiry.TokenExpirySaga') sagas;

INSERT INTO expiry_warning (token_id, expires_at, closest_warned_days, pending_days, planned_version)
SELECT s.token_id, s.expires_at, s.closest_warned_days, CASE WHEN t.task_instance IS NOT NULL THEN s.pending_days END,
       -- a saga that lost its deadline (or never had one) is planned again from the ladder in force at start-up
       CASE WHEN t.task_instance IS NOT NULL OR s.deadline_id IS NULL THEN s.policy_version ELSE -1 END
FROM expiry_saga s
LEFT JOIN scheduled_tasks t ON t.task_name = 'AxonDeadline' AND t.task_instance = s.deadline_id
ON CONFLICT (token_id) DO NOTHING;

INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version, consecutive_failures)
SELECT 'token-expiry-warning', s.token_id::text, t.execution_time, false, 1, 0
FROM expiry_saga s JOIN scheduled_tasks t ON t.task_name = 'AxonDeadline' AND t.task_instance = s.deadline_id
ON CONFLICT (task_name, task_instance) DO NOTHING;

DELETE FROM scheduled_tasks t USING expiry_saga s WHERE t.task_name = 'AxonDeadline' AND t.task_instance = s.deadline_id;

-- Active permanent tokens whose creation the saga processor had not reached: planned at start-up.
INSERT INTO expiry_warning (token_id, expires_at, closest_warned_days, pending_days, planned_version)
SELECT c.aggregate_identifier::uuid, (convert_from(c.payload, 'UTF8')::jsonb ->> 'expiresAt')::timestamptz,
       (SELECT min((convert_from(w.payload, 'UTF8')::jsonb ->> 'daysBefore')::int) FROM domain_event_entry w
        WHERE w.aggregate_identifier = c.aggregate_identifier
          AND w.payload_type = 'io.tokenledger.api.token.TokenExpiryApproaching'),
       NULL, -1
FROM domain_event_entry c
WHERE c.payload_type = 'io.tokenledger.api.token.PermanentTokenCreated'
  AND NOT EXISTS (SELECT 1 FROM domain_event_entry e WHERE e.aggregate_identifier = c.aggregate_identifier
                  AND e.payload_type IN ('io.tokenledger.api.token.TokenRevoked',
                                         'io.tokenledger.api.token.TokenExpired'))
ON CONFLICT (token_id) DO NOTHING;

-- The saga, its associations and its processor are gone.
DELETE FROM association_value_entry WHERE saga_type = 'io.tokenledger.command.expiry.TokenExpirySaga';
DELETE FROM saga_entry WHERE saga_type = 'io.tokenledger.command.expiry.TokenExpirySaga';
DELETE FROM token_entry WHERE processor_name = 'TokenExpirySagaProcessor';
