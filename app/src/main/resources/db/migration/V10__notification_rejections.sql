-- How many times the SMTP server rejected each e-mail (5xx), apart from its attempts: only rejections count towards
-- max-attempts. Attempts that found the server unreachable or refusing for now (4xx) are retried without limit, and
-- a long outage must not use up the rejections an e-mail is allowed afterwards.
ALTER TABLE notification ADD COLUMN rejections INTEGER NOT NULL DEFAULT 0;
