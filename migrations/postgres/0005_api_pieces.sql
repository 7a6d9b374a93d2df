-- The upload API's list walks this index in its own order and stops at the end of the page;
-- with (user_id, start_time) it sorted every run of the user, summaries and all, per request.
-- Its prefix serves every query the old index served.
CREATE INDEX activities_user_order
    ON activities (user_id, start_time DESC NULLS LAST, created_at DESC, id DESC);
DROP INDEX activities_user_start;

-- The run's JSON in the upload API, deflated once as a piece that joins into a gzip answer
-- (`server::gzip_join`). NULL for runs kept before this migration until `stride serve` fills it.
ALTER TABLE activities ADD COLUMN api_gzip BYTEA;
