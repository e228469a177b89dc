-- A file's original is found under the data folder wherever that folder now
-- is (a restored backup, a new machine): stored_path becomes relative to it,
-- "archive/<sha256>.<ext>" or "quarantine/<sha256>.<ext>". Version 1 wrote
-- the absolute path of the folder the data lived in then.
update files
set stored_path = regexp_replace(
    replace(stored_path, '\', '/'), '^.*/((archive|quarantine)/[^/]+)$', '\1')
where regexp_matches(replace(stored_path, '\', '/'), '^(.*/)?(archive|quarantine)/[^/]+$');
