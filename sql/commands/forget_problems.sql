delete from problems where list_contains($sha256s, sha256);
