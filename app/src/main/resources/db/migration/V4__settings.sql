-- Command side: the current value of each App Config key, written in the same transaction as the
-- SystemSettings event that set it, so token creation and new expiry sagas read the policy in force.
CREATE TABLE setting_value (
    setting_key VARCHAR(64)   PRIMARY KEY,
    value       VARCHAR(4000) NOT NULL,
    version     BIGINT        NOT NULL
);

-- Read side: the Config tab.
CREATE TABLE app_config_view (
    setting_key VARCHAR(64)   PRIMARY KEY,
    label       VARCHAR(100)  NOT NULL,
    value       VARCHAR(4000) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  UUID
);
