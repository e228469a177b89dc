select fingerprint, sha256 from renders where path = $path;
