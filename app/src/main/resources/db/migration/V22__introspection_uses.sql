-- An introspection that finds a token active is a use of it, recorded with the client that asked (its public id);
-- null for a request the token authenticated itself.
ALTER TABLE token_usage ADD COLUMN last_used_client VARCHAR(100);
