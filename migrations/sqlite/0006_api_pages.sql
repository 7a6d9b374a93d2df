-- The upload API's pieces now say where they end and start with their run's place in the
-- list's order, so a page is the stored values laid end to end, split and checked in order by
-- the server (`db::activities::api_page`) with nothing computed per run in the query.
-- `stride serve` (and `stride migrate`) writes every run's new piece before it serves.
ALTER TABLE activities DROP COLUMN api_gzip;
ALTER TABLE activities ADD COLUMN api_piece BLOB;

-- How many runs each user keeps (the `total` of the upload API's pages), kept by triggers in
-- the transaction of each insert and delete rather than counted for every page.
ALTER TABLE users ADD COLUMN run_count INTEGER NOT NULL DEFAULT 0;
UPDATE users SET run_count = (SELECT COUNT(*) FROM activities WHERE activities.user_id = users.id);
CREATE TRIGGER activities_count_insert AFTER INSERT ON activities BEGIN
    UPDATE users SET run_count = run_count + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER activities_count_delete AFTER DELETE ON activities BEGIN
    UPDATE users SET run_count = run_count - 1 WHERE id = OLD.user_id;
END;
