-- A token reported leaked raises a TOKEN_LEAKED fault and e-mails its owner and the notification list: neither is
-- an expiry warning, so neither has a threshold. Each is still once per token (and recipient): their ids are named
-- after the token (and recipient), as an expiry warning's are after its threshold.
ALTER TABLE fault ALTER COLUMN days_before DROP NOT NULL;
ALTER TABLE notification ALTER COLUMN days_before DROP NOT NULL;
