-- Two-factor sign-in (issue 6): TOTP (RFC 6238) and recovery codes. The same tables as
-- migrations/postgres/0004_two_factor.sql.

-- A user's TOTP secret (hex; it must be readable to check codes). It counts only once
-- confirmed with a code: until then it is an enrolment in progress. `last_step` is the newest
-- 30-second step whose code was accepted, so that a code works once.
CREATE TABLE totp_secrets (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_hex   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    last_step INTEGER NOT NULL
);

-- One-time recovery codes. Only their SHA-256 is stored; a used one keeps its row.
CREATE TABLE recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in whose password was right, waiting for its second factor (a short-lived cookie
-- holds the id; only its SHA-256 is stored).
CREATE TABLE sign_in_challenges (
    id_hash    TEXT    PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sign_in_challenges_user ON sign_in_challenges (user_id);
