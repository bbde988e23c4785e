-- A token's owner is named when the token is read, from token_owner, instead of a copy in the token's row. The
-- owner's registration and the token's creation are handled by different segments of the inventory's processor;
-- when their transactions overlapped, neither saw the other's row and the copy kept the owner's id for a name.
ALTER TABLE token_view DROP COLUMN username;
ALTER TABLE token_view_replay DROP COLUMN username;
