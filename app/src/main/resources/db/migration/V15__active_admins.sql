-- Command side: the active administrators (role ADMIN, enabled), written by the User aggregate in the transaction
-- of the command that changes a user's role or status. Removing one locks every row first, so two commands that
-- each remove a different one of the last two cannot both commit: the later sees the earlier's outcome and is
-- refused (the system is never left without an active administrator).
CREATE TABLE active_admin (
    user_id UUID PRIMARY KEY
);

-- The administrators active in the store so far: each user's latest role and latest enabled state, from the events.
WITH user_event AS (
    SELECT aggregate_identifier AS user_id, sequence_number, payload_type,
           convert_from(payload, 'UTF8')::jsonb AS p
    FROM domain_event_entry
    WHERE payload_type IN ('io.tokenledger.api.user.UserRegistered', 'io.tokenledger.api.user.UserRoleChanged',
                           'io.tokenledger.api.user.UserDisabled', 'io.tokenledger.api.user.UserEnabled')
), latest_role AS (
    SELECT DISTINCT ON (user_id) user_id, coalesce(p ->> 'to', p ->> 'role') AS role
    FROM user_event
    WHERE payload_type IN ('io.tokenledger.api.user.UserRegistered', 'io.tokenledger.api.user.UserRoleChanged')
    ORDER BY user_id, sequence_number DESC
), latest_state AS (
    SELECT DISTINCT ON (user_id) user_id, payload_type <> 'io.tokenledger.api.user.UserDisabled' AS enabled
    FROM user_event
    WHERE payload_type IN ('io.tokenledger.api.user.UserRegistered', 'io.tokenledger.api.user.UserDisabled',
                           'io.tokenledger.api.user.UserEnabled')
    ORDER BY user_id, sequence_number DESC
)
INSERT INTO active_admin (user_id)
SELECT r.user_id::uuid FROM latest_role r JOIN latest_state s USING (user_id)
WHERE r.role = 'ADMIN' AND s.enabled;
