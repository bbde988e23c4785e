-- A token reported leaked raises a TOKEN_LEAKED fault and e-mails its owner and the notification list: neither is
-- an expiry warning, so neither has a threshold. Each is still once per token (and recipient): their ids are named
-- after the token (and recipient), as an expiry warning's are after its threshold.
ALTER TABLE fault ALTER COLUMN days_before DROP NOT NULL;
ALTER TABLE notification ALTER COLUMN days_before DROP NOT NULL;

-- Users are persons or service accounts; a service account has no password. Every user stored before is a person.
ALTER TABLE user_view ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'PERSON';
ALTER TABLE user_view ALTER COLUMN password_hash DROP NOT NULL;
