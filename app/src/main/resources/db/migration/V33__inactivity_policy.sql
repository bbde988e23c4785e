-- The inactivity policy reads when each active token was created (its disuse counts from then until a first use),
-- from the command side's own index of active tokens.
ALTER TABLE active_token_of_user ADD COLUMN created_at TIMESTAMP WITH TIME ZONE;
UPDATE active_token_of_user a SET created_at = v.created_at FROM token_view v WHERE v.id = a.token_id;
UPDATE active_token_of_user SET created_at = now() WHERE created_at IS NULL;
ALTER TABLE active_token_of_user ALTER COLUMN created_at SET NOT NULL;

-- The period of disuse each token was last warned of (its start: the last use, or the creation): the daily run sends
-- no second warning for the same period. A use starts another period, which is warned of again.
CREATE TABLE inactivity_warning (
    token_id     UUID                     PRIMARY KEY,
    unused_since TIMESTAMP WITH TIME ZONE NOT NULL
);
