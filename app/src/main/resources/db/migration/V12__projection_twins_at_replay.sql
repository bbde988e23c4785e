-- A replay now creates each <table>_replay twin from its live table when it starts (LIKE the live table, every
-- index and key constraint named after the live one plus "_replay") and drops it after the swap, so a twin always
-- has the live table's columns and indexes and no migration mirrors a projection table by hand. The twins V7
-- created (and V9 kept in step) go.
DROP TABLE IF EXISTS token_view_replay, token_owner_replay, user_view_replay, credential_replay,
    credential_user_replay, app_config_view_replay;
