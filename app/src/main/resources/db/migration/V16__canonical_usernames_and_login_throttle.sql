-- The canonical form of a username (NFKC and locale-independent case folding: io.tokenledger.api.user.Usernames),
-- by which a login looks its user up. Stored usernames are ASCII letters, digits, '.', '_' and '-', whose canonical
-- form is their ASCII lower case (translate: PostgreSQL's lower() would follow the database's locale).
ALTER TABLE user_view ADD COLUMN username_key VARCHAR(64);
UPDATE user_view SET username_key = translate(username, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
ALTER TABLE user_view ALTER COLUMN username_key SET NOT NULL;
CREATE UNIQUE INDEX user_view_username_key ON user_view (username_key);
DROP INDEX user_view_username;

-- Failed logins, counted before each password check, in one place for every instance (LoginThrottle). A key is the
-- SHA-256 of what is counted: a canonical username and a client address, a username, or a client address, so the
-- table never holds what someone typed as a username (often a password).
CREATE TABLE login_throttle (
    key          CHAR(64)                 PRIMARY KEY,
    failures     INTEGER                  NOT NULL,
    last_failure TIMESTAMP WITH TIME ZONE NOT NULL
);
