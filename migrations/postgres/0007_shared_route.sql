-- A public link's route, its ends already cut (JSON: parts of [latitude, longitude]), made
-- when the link is made or its hidden length changes, so that a view of the link reads it
-- instead of decoding the original again. NULL for links made before: filled at their first
-- view.
ALTER TABLE shares ADD COLUMN route TEXT;
