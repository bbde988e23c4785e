-- Password hashes are Argon2id now ({argon2}$argon2id$…, about 105 characters); BCrypt hashes stored before stay.
ALTER TABLE user_view ALTER COLUMN password_hash TYPE TEXT;
-- The version of the user's password: the sequence number of the event that set it (UserRegistered or
-- UserPasswordChanged). A login names the version it checked, and its session is refused if it changed meanwhile.
-- Before this migration no password was ever changed, so every password is its user's first event's (0).
ALTER TABLE user_view ADD COLUMN password_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE credential_user ADD COLUMN password_version BIGINT NOT NULL DEFAULT 0;
-- A generated password (the bootstrap administrator's) that the user is asked to change.
ALTER TABLE user_view ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT false;

-- The command side's index knows a token's kind: a password change revokes the login sessions only.
ALTER TABLE active_token_of_user ADD COLUMN kind VARCHAR(16);
UPDATE active_token_of_user a SET kind = c.kind FROM credential c WHERE c.token_id = a.token_id;
UPDATE active_token_of_user a SET kind = 'TEMPORARY'
WHERE a.kind IS NULL AND EXISTS (SELECT 1 FROM domain_event_entry e
                                 WHERE e.aggregate_identifier = a.token_id::text AND e.sequence_number = 0
                                   AND e.payload_type = 'io.tokenledger.api.token.TemporaryTokenIssued');
UPDATE active_token_of_user SET kind = 'PERMANENT' WHERE kind IS NULL;
ALTER TABLE active_token_of_user ALTER COLUMN kind SET NOT NULL;
