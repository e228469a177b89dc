delete from files where sha256 = $sha256;
