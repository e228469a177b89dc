insert or replace into renders values ($path, $fingerprint, $sha256);
