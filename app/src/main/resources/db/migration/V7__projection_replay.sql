-- Replaying a projection rebuilds it into a second set of tables, <table>_replay, while the live tables keep
-- serving reads; when the rebuild has caught up, the two sets swap names in one transaction. The replay
-- tables are copies of the live ones, with each index and constraint named after its live one plus "_replay",
-- so the swap can exchange their names as well and the live tables always carry the names below.

-- A row remembers the aggregate sequence number of the last event applied to it, so an older event delivered
-- again after a swap (live processors resume from their own position) cannot undo a newer one.
ALTER TABLE user_view ADD COLUMN version BIGINT NOT NULL DEFAULT -1;
ALTER TABLE credential_user ADD COLUMN version BIGINT NOT NULL DEFAULT -1;
ALTER TABLE app_config_view ADD COLUMN version BIGINT NOT NULL DEFAULT -1;

DO $$
DECLARE
    live TEXT;
    idx RECORD;
BEGIN
    FOREACH live IN ARRAY ARRAY['token_view', 'token_owner', 'user_view', 'credential', 'credential_user',
                                'app_config_view'] LOOP
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)',
                       live || '_replay', live);
        FOR idx IN
            SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def, c.contype, c.conname
            FROM pg_index x
                 JOIN pg_class i ON i.oid = x.indexrelid
                 LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
            WHERE x.indrelid = live::regclass
        LOOP
            EXECUTE regexp_replace(idx.def, ' INDEX \S+ ON (\S+\.)?\S+ ',
                                   format(' INDEX %I ON %I ', idx.name || '_replay', live || '_replay'));
            IF idx.contype = 'p' THEN
                EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY USING INDEX %I', live || '_replay',
                               idx.conname || '_replay', idx.name || '_replay');
            ELSIF idx.contype = 'u' THEN
                EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I UNIQUE USING INDEX %I', live || '_replay',
                               idx.conname || '_replay', idx.name || '_replay');
            END IF;
        END LOOP;
    END LOOP;
END $$;

-- Progress of the latest replay of each projection, readable from every instance.
CREATE TABLE projection_replay (
    name        VARCHAR(255) PRIMARY KEY,
    state       VARCHAR(16)  NOT NULL,
    position    BIGINT,
    head        BIGINT,
    events      BIGINT       NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    failure     VARCHAR(500)
);
