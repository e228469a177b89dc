delete from problems where sha256 = $sha256;
