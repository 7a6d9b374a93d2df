-- Sync and sharing (issue 6). The same tables as migrations/sqlite/0003_sharing.sql.

-- The file's name when it was synced from a browser, so that another browser shows it too.
ALTER TABLE activities ADD COLUMN name TEXT;

-- A run made public by an unguessable link. The token is the link (not a credential to an
-- account), kept so that its owner can copy it again; revoking the link deletes the row.
-- `hide_m` metres at each end of the route are cut on the server before the page is sent.
CREATE TABLE shares (
    activity_id TEXT    PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token       TEXT    NOT NULL UNIQUE,
    hide_m      BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX shares_user ON shares (user_id);
