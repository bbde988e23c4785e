-- A token's last use is telemetry, not an event: whichever instance sees a use writes it here (TokenUsageRecorder),
-- at most once per token per interval, only ever moving it forward. It is kept out of token_view, so a rebuild
-- of the token inventory, which replays events only, never loses it.
CREATE TABLE token_usage (
    token_id     UUID                     PRIMARY KEY,
    last_used_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_ip VARCHAR(64)
);

-- The last uses the inventory holds, then the uses that were still waiting to be relayed to a command instance.
INSERT INTO token_usage (token_id, last_used_at, last_used_ip)
SELECT id, last_used_at, last_used_ip FROM token_view WHERE last_used_at IS NOT NULL;
INSERT INTO token_usage (token_id, last_used_at, last_used_ip)
SELECT token_id, used_at, client_ip FROM token_use_relay
ON CONFLICT (token_id) DO UPDATE SET last_used_at = excluded.last_used_at, last_used_ip = excluded.last_used_ip
WHERE token_usage.last_used_at < excluded.last_used_at;

ALTER TABLE token_view DROP COLUMN last_used_at, DROP COLUMN last_used_ip;
-- The inventory's replay twin, where it is still kept as a table of its own.
ALTER TABLE IF EXISTS token_view_replay DROP COLUMN IF EXISTS last_used_at, DROP COLUMN IF EXISTS last_used_ip;

-- Every instance writes its own uses now; none relays them for another.
DROP TABLE token_use_relay;
