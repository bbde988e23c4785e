-- A token rotated with a grace period keeps working (status ROTATING) until its grace ends, or its own expiry if
-- that comes first. The inventory shows when; authentication reads it from the credential, which also names the
-- successor and whether a use of the old token after the successor's has been reported already.
ALTER TABLE token_view ADD COLUMN grace_ends_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE credential ADD COLUMN grace_ends_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE credential ADD COLUMN superseded_by UUID;
ALTER TABLE credential ADD COLUMN reuse_reported BOOLEAN NOT NULL DEFAULT false;

-- A token's first recorded use, kept once written: a rotating token used after its successor's first use is a
-- reuse. Uses recorded before this version have none; such a token has been used, at the latest at its last use.
ALTER TABLE token_usage ADD COLUMN first_used_at TIMESTAMP WITH TIME ZONE;
UPDATE token_usage SET first_used_at = last_used_at;
