select role, name, position from signatories where sha256 = $sha256 order by seq;
