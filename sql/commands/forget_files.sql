delete from files where list_contains($sha256s, sha256);
