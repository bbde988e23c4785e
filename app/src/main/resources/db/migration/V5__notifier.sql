-- Notifier: its own directory of token owners and of the configured recipients, so a warning is handled
-- with the directory as it was at that point of the event stream. Never a password hash.
CREATE TABLE notifier_user (
    user_id  UUID         PRIMARY KEY,
    username VARCHAR(64)  NOT NULL,
    email    VARCHAR(254)
);

-- App Config values the notifier needs, by SettingKey name (only EXPIRY_NOTIFICATION_EMAILS today).
CREATE TABLE notifier_setting (
    setting_key VARCHAR(64) PRIMARY KEY,
    value       TEXT        NOT NULL
);

-- Faults: one per token and warning threshold, open until acknowledged, cleared when the token is revoked.
CREATE TABLE fault (
    id              UUID         PRIMARY KEY,
    type            VARCHAR(32)  NOT NULL,
    token_id        UUID         NOT NULL,
    token_name      VARCHAR(400) NOT NULL,
    token_hint      VARCHAR(16),
    user_id         UUID         NOT NULL,
    username        VARCHAR(64)  NOT NULL,
    days_before     INTEGER      NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    raised_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    acknowledged_at TIMESTAMP WITH TIME ZONE,
    acknowledged_by UUID,
    cleared_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT fault_once_per_threshold UNIQUE (token_id, days_before)
);
CREATE INDEX fault_raised ON fault (raised_at DESC, id);
CREATE INDEX fault_status ON fault (status, raised_at DESC);

-- The e-mail outbox, written in the same transaction as the fault; a sender delivers it over SMTP.
-- Each (token, threshold, recipient) is mailed once, whatever the spelling of the address.
CREATE TABLE notification (
    id              UUID         PRIMARY KEY,
    token_id        UUID         NOT NULL,
    days_before     INTEGER      NOT NULL,
    recipient       VARCHAR(254) NOT NULL,
    subject         VARCHAR(500) NOT NULL,
    body            TEXT         NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(500)
);
CREATE UNIQUE INDEX notification_once ON notification (token_id, days_before, lower(recipient));
-- What the sender claims: due PENDING rows only, so sent history does not slow the poll.
CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notification_created ON notification (created_at DESC, id);
CREATE INDEX notification_token ON notification (token_id);
