-- Accounts (issue 6): sessions, personal access tokens and the runs kept on the server.
-- The same tables as migrations/postgres/0002_accounts.sql; times are Unix seconds (UTC).

-- A signed-in browser. Only the SHA-256 of the cookie's value is stored.
CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- A personal access token for the upload API. Only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- A run kept on the server. The original lives in the object store under its SHA-256; the
-- summary is the server's own (JSON of analysis::RunSummary), never the client's.
CREATE TABLE activities (
    id         TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sha256     TEXT    NOT NULL,
    size_bytes INTEGER NOT NULL,
    format     TEXT    NOT NULL,
    start_time TEXT,
    summary    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, sha256)
);
CREATE INDEX activities_user_start ON activities (user_id, start_time);
CREATE INDEX activities_sha256 ON activities (sha256);
