-- The upload API's pieces now say where they end and start with their run's place in the
-- list's order, so a page is the stored values laid end to end, split and checked in order by
-- the server (`db::activities::api_page`) with nothing computed per run in the query.
-- `stride serve` (and `stride migrate`) writes every run's new piece before it serves.
ALTER TABLE activities DROP COLUMN api_gzip;
ALTER TABLE activities ADD COLUMN api_piece BLOB;
